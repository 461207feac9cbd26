"""The user ids, keys and plan item ids the communication operations are sent,
turned into the rows the services take; the services check that they fit the
project."""

from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.communication.models import CommunicationPlanItem, Interaction
from liaison.core.services import InvalidInput
from liaison.projects.models import Project
from liaison.requirements.models import Requirement


def _user(user_id: int | None, field: str, message: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput(message, field=field)
    return user


def resolve_interaction_refs(project: Project, fields: dict) -> dict:
    """Ids and keys into rows; the service checks that they fit the project."""
    if fields.get("participants") is not None:
        ids = list(dict.fromkeys(fields["participants"]))
        found = {user.pk: user for user in User.objects.filter(pk__in=ids)}
        missing = [str(user_id) for user_id in ids if user_id not in found]
        if missing:
            raise InvalidInput(
                _("Not members of this project: %(ids)s") % {"ids": ", ".join(missing)},
                field="participants",
            )
        fields["participants"] = [found[user_id] for user_id in ids]
    if fields.get("external_participants") is not None:
        # The payload leaves out unset fields, nested ones too ({} has neither key).
        people = [
            {"name": person.get("name", ""), "email": person.get("email", "")}
            for person in fields["external_participants"]
        ]
        if any(not (person["name"].strip() or person["email"].strip()) for person in people):
            raise InvalidInput(
                _("Give each other participant a name, an e-mail address or both."),
                field="external_participants",
            )
        fields["external_participants"] = people
    if fields.get("requirements") is not None:
        keys = list(dict.fromkeys(key.strip().upper() for key in fields["requirements"]))
        requirements = list(Requirement.objects.filter(project=project, key__in=keys))
        unknown = set(keys) - {requirement.key for requirement in requirements}
        if unknown:
            raise InvalidInput(
                _("Not requirements of this project: %(keys)s")
                % {"keys": ", ".join(sorted(unknown))},
                field="requirements",
            )
        fields["requirements"] = requirements
    if fields.get("plan_item") is not None:
        item = CommunicationPlanItem.objects.filter(project=project, pk=fields["plan_item"]).first()
        if item is None:
            raise InvalidInput(
                _("That is not an item of this project's communication plan."),
                field="plan_item",
            )
        fields["plan_item"] = item
    return fields


def resolve_action_refs(project: Project, fields: dict) -> dict:
    if "owner_id" in fields:
        fields["owner"] = _user(
            fields.pop("owner_id"),
            "owner_id",
            _("The owner must be a manager or member of the project, or one of its clients."),
        )
    if fields.get("interaction") is not None:
        key = fields["interaction"]
        fields["interaction"] = Interaction.objects.filter(
            project=project, key=key.strip().upper()
        ).first()
        if fields["interaction"] is None:
            raise InvalidInput(
                _("%(key)s is not an interaction of this project.") % {"key": key},
                field="interaction",
            )
    return fields


def resolve_plan_refs(fields: dict) -> dict:
    if "owner_id" in fields:
        fields["owner"] = _user(
            fields.pop("owner_id"),
            "owner_id",
            _("The owner must be a manager or member of the project."),
        )
    return fields
