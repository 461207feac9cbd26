"""The task keys and the user id the plan's operations are sent, turned into the
rows the services take; the services check that they fit the project."""

from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.core.services import InvalidInput
from liaison.planning.models import Task
from liaison.projects.models import Project


def task_by_key(project: Project, key: str, field: str) -> Task:
    task = Task.objects.filter(project=project, key=str(key).strip().upper()).first()
    if task is None:
        raise InvalidInput(_("%(key)s is not a task of this project.") % {"key": key}, field=field)
    return task


def resolve_task_refs(project: Project, fields: dict) -> dict:
    """Keys and a user id into rows; the service checks that they fit."""
    if "assignee_id" in fields:
        user_id = fields.pop("assignee_id")
        fields["assignee"] = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and fields["assignee"] is None:
            raise InvalidInput(
                _("Assign the task to a manager or member of the project."), field="assignee_id"
            )
    if fields.get("milestone") is not None:
        key = fields["milestone"]
        # A key is unique in its project: by pk, not the model's ordering (a join).
        milestones = project.milestones.filter(key=key.strip().upper()).order_by("pk")
        fields["milestone"] = milestones.first()
        if fields["milestone"] is None:
            raise InvalidInput(
                _("%(key)s is not a milestone of this project.") % {"key": key}, field="milestone"
            )
    if fields.get("parent") is not None:
        fields["parent"] = task_by_key(project, fields["parent"], "parent")
    if fields.get("requirements") is not None:
        keys = {key.strip().upper() for key in fields["requirements"]}
        found = list(project.requirements.filter(key__in=keys))
        missing = keys - {requirement.key for requirement in found}
        if missing:
            raise InvalidInput(
                _("Not requirements of this project: %(keys)s")
                % {"keys": ", ".join(sorted(missing))},
                field="requirements",
            )
        fields["requirements"] = found
    return fields
