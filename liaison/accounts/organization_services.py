"""Writes that set up an organization: one with its owner (the command line
and the first-run page) and the one-time links that open the first-run page.

Kept apart from services.py, which holds the day-to-day writes about people."""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import ApiToken, Organization, OrgMembership, SetupToken, User
from liaison.accounts.selectors import first_run_pending, setup_token_oldest
from liaison.accounts.services import clean_email
from liaison.core.activity import activity_record
from liaison.core.services import InvalidInput

SLUG_LENGTH = 50  # Organization.slug's max_length


def set_password_link(*, user: User) -> str:
    """Where a new owner chooses a password: on SITE_URL, valid as long as a
    password-reset link (PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(
        "accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token}
    )


def _check_organization_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(_("An organization needs a name."), field="name")
    if len(name) > 200:
        raise InvalidInput(_("Use at most 200 characters."), field="name")
    if Organization.objects.filter(name__iexact=name).exists():
        raise InvalidInput(
            _("There is already an organization named %(name)s.") % {"name": name},
            field="name",
            code="duplicate_organization",
        )
    return name


def _free_slug(name: str) -> str:
    """A short name for links, unique among organizations. A name with no
    Latin letters (一个中文名字) slugifies to nothing, hence the fallback."""
    base = slugify(name)[: SLUG_LENGTH - 4].strip("-") or "organization"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_owner(email: str, display_name: str, language: str, password: str | None) -> User:
    """The owner's account as it will be saved, not saved yet."""
    email = clean_email(email=email)
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(
            _("There is already an account with the e-mail address %(email)s.") % {"email": email},
            field="email",
            code="duplicate_email",
        )
    if language not in User.Language.values:
        raise InvalidInput(_("Unknown language."), field="language")
    user = User(
        email=email,
        display_name=display_name.strip()[:150] or email.split("@")[0],
        language=language,
    )
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages), field="password") from None
    return user


@transaction.atomic
def organization_create_with_owner(
    *,
    name: str,
    owner_email: str,
    owner_name: str = "",
    password: str | None = None,
    language: str = User.Language.ENGLISH,
    by: User | None = None,
) -> tuple[Organization, User]:
    """A new organization and a new account as its owner. Without a password
    the owner's account has none yet: they choose it from a set-password link.
    `by` is who did it (None: the command line). Any setup links go: the
    instance is no longer fresh."""
    name = _check_organization_name(name)
    owner = _check_owner(owner_email, owner_name, language, password)
    owner.set_password(password)  # None: an unusable password until they choose one
    owner.save()
    organization = Organization.objects.create(name=name, slug=_free_slug(name))
    OrgMembership.objects.create(
        organization=organization, user=owner, role=OrgMembership.Role.OWNER
    )
    SetupToken.objects.all().delete()
    activity_record(
        actor=by,
        verb="created",
        target=organization,
        diff={"name": [None, name], "owner": [None, owner.email]},
    )
    return organization, owner


# Any fixed number: the PostgreSQL advisory lock that lets one first run at a time.
FIRST_RUN_LOCK = 0x11A150


def _one_first_run_at_a_time() -> None:
    """Two first-run submissions at the same moment must not both create an
    organization. SQLite already runs one writing transaction at a time
    (transaction_mode IMMEDIATE); PostgreSQL needs a lock, as there is no row
    yet to lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FIRST_RUN_LOCK])


@transaction.atomic
def organization_first_run(
    *,
    name: str,
    owner_email: str,
    owner_name: str,
    password: str,
    language: str,
    by: User | None = None,
) -> tuple[Organization, User]:
    """The first-run page's write: the instance's first organization and its
    owner, who chose a password on the page. Refused once an organization
    exists (the page was open in two tabs, or someone else was quicker)."""
    _one_first_run_at_a_time()
    if not first_run_pending():
        raise InvalidInput(_("This instance is set up already: sign in instead."))
    return organization_create_with_owner(
        name=name,
        owner_email=owner_email,
        owner_name=owner_name,
        password=password,
        language=language,
        by=by,
    )


@transaction.atomic
def setup_token_create() -> str | None:
    """A new secret for a first-run link, or None when an organization exists
    already. Only its SHA-256 is stored; earlier links stay valid (two web
    processes may each print one at start) until the first organization is
    created, which removes them all, or for SETUP_TOKEN_HOURS."""
    if not first_run_pending():
        return None
    SetupToken.objects.filter(created_at__lt=setup_token_oldest()).delete()
    secret = secrets.token_urlsafe(32)
    SetupToken.objects.create(digest=ApiToken.digest_of(secret))
    return secret
