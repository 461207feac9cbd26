"""People and the firms they belong to: users, organizations, client companies
and personal API tokens."""

import hashlib
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import VersionedModel

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password (invited users)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        CHINESE = "zh-hans", "简体中文"

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone"), max_length=60, choices=TIME_ZONE_CHOICES, default="Asia/Shanghai"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    # SHA-256 of the secret in the user's calendar feed link; empty: no feed.
    calendar_digest = models.CharField(max_length=64, blank=True, db_index=True)
    daily_digest = models.BooleanField(
        _("one e-mail a day"),
        default=False,
        help_text=_("Collect the day's notifications into one e-mail instead of one each."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class Organization(VersionedModel):
    """The delivery firm that runs projects for its clients."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    # Remind people who logged less than their capacity last week (finance/time_reminders.py).
    time_reminders = models.BooleanField(
        _("remind people who logged less than their capacity"), default=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgMembership(models.Model):
    """A person on the firm's staff. People without one are client users."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_org_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


class Client(VersionedModel):
    """A customer company of the organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(_("name"), max_length=200)
    contacts = models.TextField(
        _("contacts"),
        blank=True,
        help_text=_("Names, roles, e-mail addresses and phone numbers of the people to talk to."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_client_name")
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal access token. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed sign-in, kept for throttling. Stored in the database so every
    web process sees the same count."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # The per-address count of sign-in throttling reads failures by address.
        indexes = [models.Index(fields=["ip", "created_at"], name="loginfailure_ip_time")]

    def __str__(self) -> str:
        return f"{self.email} at {self.created_at:%Y-%m-%d %H:%M}"


class SetupToken(models.Model):
    """A one-time secret that opens the first-run page (`/setup/`) while the
    instance has no organization. Only its SHA-256 is stored; every token goes
    when the first organization is created. Kept in the database so every web
    process, on any machine, accepts a link printed by `first_run_link`."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"setup token of {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A sign-in of a person, so that they can see where they are signed in and
    end the others. The session itself lives in Django's store; this row names
    it (its key) and says from what browser and address it began."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    session_key = models.CharField(max_length=40, unique=True)
    # What the browser said of itself: set at sign-in, never edited; its own
    # test shows a hostile one escaped (accounts/tests/test_sessions.py).
    user_agent = models.CharField(max_length=200, blank=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
