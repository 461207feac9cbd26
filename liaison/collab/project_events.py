"""Telling people what happened to a project's team (projects.signals)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.collab.notify import notify
from liaison.projects import signals
from liaison.projects.models import Membership

Role = Membership.Role


@receiver(signals.manager_assigned)
def tell_new_manager(sender, *, project, by, **kwargs) -> None:
    notify(
        event="project.assigned",
        recipients=[project.manager],
        actor=by,
        project=project,
        message=_("%(actor)s made you the manager of %(project)s"),
        params={"actor": by, "project": project},
        url=reverse("home:overview", args=[project.code]),
    )


@receiver(signals.member_added)
def tell_new_member(sender, *, membership, by, **kwargs) -> None:
    project, user, role = membership.project, membership.user, membership.role
    notify(
        event="member.added",
        recipients=[user],
        actor=by,
        project=project,
        message=_("%(actor)s added you to %(project)s as %(role)s"),
        room_message=_("%(actor)s added %(member)s to %(project)s as %(role)s"),
        params={"actor": by, "member": user, "project": project, "role": Role(role).label},
        url=reverse(
            "portal:home" if role == Role.CLIENT else "home:overview",
            kwargs={} if role == Role.CLIENT else {"code": project.code},
        ),
    )
