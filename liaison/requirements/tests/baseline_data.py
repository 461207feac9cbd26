"""Builders shared by the baseline tests: agreed requirements and baselines in
the states a test starts from, made through the services."""

from liaison.requirements.models import Baseline, Requirement
from liaison.requirements.services import (
    baseline_propose,
    baseline_reject,
    baseline_sign,
    requirement_create,
    requirement_transition,
)


def agreed(project, by, title: str, **fields) -> Requirement:
    """A requirement taken draft → in review → confirmed, as the team does."""
    requirement = requirement_create(project=project, by=by, title=title, **fields)
    for status in (Requirement.Status.IN_REVIEW, Requirement.Status.CONFIRMED):
        requirement = requirement_transition(requirement=requirement, by=by, status=status)
    return requirement


def proposed(project, title: str = "Scope") -> Baseline:
    return baseline_propose(project=project, by=project.manager, title=title)


def signed(project, client_user, name: str = "Claire Client") -> Baseline:
    return baseline_sign(
        baseline=proposed(project), by=client_user, full_name=name, agreed=True, ip="203.0.113.7"
    )


def rejected(project, client_user, comment: str = "Add the night shift.") -> Baseline:
    return baseline_reject(baseline=proposed(project), by=client_user, comment=comment, ip=None)
