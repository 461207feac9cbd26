"""Writes about a project's people: invitations, roles, leaving."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import ApiToken, Organization, OrgMembership, User
from liaison.accounts.services import clean_email, sessions_end
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.mail import mail_queue
from liaison.core.services import InvalidInput
from liaison.projects import access, signals
from liaison.projects.access import Action
from liaison.projects.models import Membership, Project
from liaison.projects.selectors import client_email_domains, invitation_language

Role = Membership.Role


def _invitation_link(*, user: User, project: Project, role: str) -> str:
    """Where the invitation e-mail leads. Anyone who has not chosen a password
    yet (a second invitation before the first was used, too) gets a link to
    choose one, which signs them in and opens the project (or the portal);
    others go straight there. Always on SITE_URL, never on a request's host."""
    if user.has_usable_password():
        if role == Role.CLIENT:
            return settings.SITE_URL + reverse("portal:home")
        return settings.SITE_URL + reverse("home:overview", kwargs={"code": project.code})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(
        "projects:invitation-accept", kwargs={"code": project.code, "uidb64": uid, "token": token}
    )


def _user_for_invite(
    *, email: str, display_name: str, role: str, project: Project, language: str
) -> User:
    """The invited person's account, created if new. Team roles make the person
    staff of the organization; the client role keeps them portal-only."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email=email, display_name=display_name or email.split("@")[0], language=language
        )
    elif not user.is_active:
        # A deactivated person has no org roles to check against, and would
        # silently get a membership they cannot use.
        raise InvalidInput(
            _("%(email)s is deactivated; an administrator must reactivate the account first.")
            % {"email": email},
            field="email",
        )
    elif not user.has_usable_password() and user.language != language:
        # Invited before and never signed in: nobody has chosen a language for
        # them but the inviters, and the latest knows best.
        User.objects.filter(pk=user.pk).update(language=language, version=user.version + 1)
        user.language = language
        user.version += 1
    staff = access.is_staff_user(user)
    if role == Role.CLIENT and staff:
        raise InvalidInput(
            _("%(email)s is on your team; a team member cannot be a client of a project.")
            % {"email": email},
            field="role",
        )
    if (
        role != Role.CLIENT
        and not created
        and not staff
        and Membership.objects.filter(user=user, role=Role.CLIENT).exists()
    ):
        raise InvalidInput(
            _("%(email)s is a client user; invite them with the client role.") % {"email": email},
            field="role",
        )
    if role != Role.CLIENT and project.organization_id not in access.org_roles(user):
        OrgMembership.objects.create(organization_id=project.organization_id, user=user)
        access.forget(user)
    return user


def _team_role_warning(*, project: Project, email: str, role: str) -> str:
    """Why giving this address a team role deserves a second look, in plain
    words; "" when it does not. A team role opens the internal pages (internal
    notes and comments, costs) and makes the person staff of the organization:
    an address of the client company's, or a stranger to the team, is more
    likely a slip of the role menu than a new colleague."""
    if role == Role.CLIENT:
        return ""
    access_text = (
        _("A manager sees internal notes, comments and costs, and can add and remove members.")
        if role == Role.MANAGER
        else _("A team member sees internal notes, comments and costs.")
    )
    domain = email.rsplit("@", 1)[-1]
    if domain in client_email_domains(client=project.client):
        return _(
            "%(email)s has an address at %(domain)s, like the people of %(client)s. "
            "%(access)s If they are the client's, choose the Client role."
        ) % {"email": email, "domain": domain, "client": project.client, "access": access_text}
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None or project.organization_id not in access.org_roles(existing):
        return _(
            "%(email)s is not on your team yet: this invitation makes them staff of "
            "%(organization)s. %(access)s If they are the client's, choose the Client role."
        ) % {"email": email, "organization": project.organization, "access": access_text}
    return ""


@transaction.atomic
def member_invite(
    *,
    project: Project,
    by: User,
    email: str,
    role: str,
    display_name: str = "",
    language: str = "",
    confirm: bool = False,
) -> Membership:
    """Add a person to the project by e-mail, creating their account if new.
    `language` is the invitation's (and a new person's preference); empty: see
    invitation_language. A team role for someone who is not on the team yet,
    or whose address looks like the client company's, needs `confirm`."""
    access.require(by, Action.MANAGE, project)
    email = clean_email(email=email)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if language and language not in User.Language.values:
        raise InvalidInput(_("Unknown language."), field="language")
    if Membership.objects.filter(project=project, user__email__iexact=email).exists():
        raise InvalidInput(
            _("%(email)s is already a member of this project.") % {"email": email},
            field="email",
            code="already_member",
        )
    warning = _team_role_warning(project=project, email=email, role=role)
    user = _user_for_invite(
        email=email,
        display_name=display_name.strip(),
        role=role,
        project=project,
        language=language or invitation_language(project=project, by=by, role=role),
    )
    # Checked after the account's own rules, which say more precisely what is
    # wrong; everything written so far is rolled back with the refusal.
    if warning and not confirm:
        raise InvalidInput(warning, field="confirm", code="confirm_team_role")
    membership = Membership.objects.create(project=project, user=user, role=role)
    access.forget(user)
    activity_record(
        actor=by,
        verb="invited",
        target=membership,
        project=project,
        diff={"role": [None, role]},
    )
    signals.member_added.send(sender=Membership, membership=membership, by=by)
    # In the person's own language: the inviter's choice for someone who has
    # not signed in yet (saved above), else the one they chose themselves.
    mail_queue(
        to=user,
        template="projects/email/invite",
        context={
            "project": project,
            "inviter": by,
            "membership": membership,
            "link": _invitation_link(user=user, project=project, role=role),
        },
    )
    return membership


def _guard_project_manager(membership: Membership) -> None:
    if membership.user_id == membership.project.manager_id:
        raise InvalidInput(
            _("%(name)s is the project's manager. Choose another manager on the project first.")
            % {"name": membership.user},
            field="role",
        )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, by: User, version: int, role: str
) -> Membership:
    access.require(by, Action.MANAGE, membership.project)
    locked = (
        Membership.objects.select_for_update()
        .select_related("project", "user")
        .get(pk=membership.pk)
    )
    check_version(locked, version)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if (role == Role.CLIENT) != (locked.role == Role.CLIENT):
        raise InvalidInput(
            _(
                "A team member cannot become a client, nor a client a team member. "
                "Remove and invite the person again."
            ),
            field="role",
        )
    if role != locked.role:
        _guard_project_manager(locked)
    diff = apply_fields(locked, {"role": role})
    if diff:
        save_changes(locked, diff)
        access.forget(locked.user)
        activity_record(actor=by, verb="updated", target=locked, project=locked.project, diff=diff)
    return locked


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    access.require(by, Action.MANAGE, membership.project)
    _guard_project_manager(membership)
    activity_record(
        actor=by,
        verb="removed",
        target=membership,
        project=membership.project,
        diff={"role": [membership.role, None]},
    )
    membership.delete()
    access.forget(membership.user)


@transaction.atomic
def client_contact_deactivate(*, contact: User, organization: Organization, by: User) -> User:
    """An org owner or admin takes one contact of a client company out at once:
    the account is deactivated (pages send it to sign in, the portal answers
    404), its API tokens are deleted and every session it holds is ended. Only
    a client user (no organization) who is the client of one of the
    organization's projects; the company's other contacts keep their access."""
    access.require_org_admin(by, organization)
    is_contact = Membership.objects.filter(
        user=contact, role=Membership.Role.CLIENT, project__organization=organization
    ).exists()
    if not is_contact or contact.org_memberships.exists():
        raise InvalidInput(_("This person is not a contact of your clients."), code="not_contact")
    if not contact.is_active:
        return contact
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=contact).delete()
    sessions_end(by=by, user=contact)
    activity_record(actor=by, verb="deactivated", target=contact, diff={"is_active": [True, False]})
    access.forget(contact)
    return contact
