"""A dispute's client side: the client writes their position, and confirms
the outcome the manager recorded by typing their full name, as they sign a
baseline (requirements.services.baseline_sign). The team writes its position
and the outcome through issue_update."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notify import notifications_resolve, notify
from liaison.controls.models import Issue
from liaison.controls.services.issues import lock_issue, record_issue
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _dispute(issue: Issue, by: User, action: Action) -> Issue:
    """The dispute, locked, if the client may act on it."""
    access.require(by, action, issue.project)
    locked = lock_issue(issue=issue)
    if not locked.is_dispute or not locked.client_visible:
        raise InvalidInput(_("This issue is not a dispute."), code="not_a_dispute")
    return locked


def _tell_team(issue: Issue, by: User, event: str, message: "StrPromise") -> None:
    notify(
        event=event,
        recipients=[issue.project.manager, issue.owner],
        actor=by,
        project=issue.project,
        message=message,
        params={"actor": by, "issue": issue},
        url=issue.get_absolute_url(),
        target=issue,
    )


@transaction.atomic
def issue_client_position(*, issue: Issue, by: User, position: str, version: int) -> Issue:
    """The client states their side of the dispute (and may restate it until confirmed)."""
    locked = _dispute(issue, by, Action.COMMENT)
    check_version(locked, version)
    if locked.confirmed_at is not None:
        raise InvalidInput(
            _("The outcome is already confirmed."), field="position", code="dispute_confirmed"
        )
    position = (position or "").strip()[:20_000]
    if not position:
        raise InvalidInput(_("Write your position."), field="position", code="position_required")
    diff = apply_fields(locked, {"client_position": position})
    if diff:
        save_changes(locked, diff)
        record_issue(issue=locked, by=by, verb="updated", diff=diff)
        _tell_team(
            locked, by, "dispute.position", _("%(actor)s wrote the client's position on %(issue)s")
        )
    return locked


def same_name(*, typed: str, name: str) -> bool:
    """The typed name is the person's, whatever the spacing or the case."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


@transaction.atomic
def issue_outcome_confirm(
    *, issue: Issue, by: User, full_name: str, version: int, ip: str | None = None
) -> Issue:
    """The client confirms the agreed outcome by typing their full name: who,
    when, the name and the address are kept."""
    locked = _dispute(issue, by, Action.APPROVE)
    check_version(locked, version)
    if not locked.agreed_outcome:
        raise InvalidInput(
            _("There is no agreed outcome to confirm yet."), code="no_agreed_outcome"
        )
    if locked.confirmed_at is not None:
        raise InvalidInput(_("The outcome is already confirmed."), code="dispute_confirmed")
    full_name = " ".join((full_name or "").split())[:200]
    if not full_name:
        raise InvalidInput(_("Type your full name to confirm."), field="full_name")
    if not same_name(typed=full_name, name=by.display_name or ""):
        raise InvalidInput(
            _("Type your full name as your account has it: %(name)s.") % {"name": by.display_name},
            field="full_name",
            code="name_mismatch",
        )
    fields = {
        "confirmed_by": by,
        "confirmed_at": timezone.now(),
        "confirmed_name": full_name,
        "confirmed_ip": ip,
    }
    diff = apply_fields(locked, fields)
    save_changes(locked, diff)
    record_issue(
        issue=locked, by=by, verb="confirmed", diff={"confirmed_name": diff["confirmed_name"]}
    )
    notifications_resolve(target=locked, events=["dispute.outcome_agreed"])
    _tell_team(
        locked, by, "dispute.confirmed", _("%(actor)s confirmed the agreed outcome of %(issue)s")
    )
    return locked
