"""Reads of the communication log: the timeline with its filters, one
interaction with what hangs off it."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from liaison.accounts.models import User
from liaison.collab.models import Attachment
from liaison.communication.models import ActionItem, Interaction, Kind
from liaison.core.params import positive_int
from liaison.projects.access import Audience
from liaison.projects.models import Membership, Project
from liaison.requirements.models import Requirement

MAX_TEXT_QUERY = 200


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class InteractionFilters:
    kind: str = ""
    participant: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "InteractionFilters":
        kind = (query.get("kind") or "").strip()
        return cls(
            kind=kind if kind in Kind.values else "",
            participant=positive_int(query.get("participant")),
            date_from=_date(query.get("from")),
            date_to=_date(query.get("to")),
            q=" ".join((query.get("q") or "").split())[:MAX_TEXT_QUERY],
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in ("", None) for f in fields(self))

    def params(self) -> dict[str, str]:
        """The query-string form, without empty values."""
        values = {
            "kind": self.kind,
            "participant": str(self.participant) if self.participant else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}

    def query(self, **changes: str) -> str:
        params = {**self.params(), **changes}
        return urlencode({key: value for key, value in params.items() if value})

    def q_filter(self) -> Q:
        condition = Q()
        if self.kind:
            condition &= Q(kind=self.kind)
        if self.participant:
            condition &= Q(participants__id=self.participant)
        if self.date_from:
            condition &= Q(occurred_at__date__gte=self.date_from)
        if self.date_to:
            condition &= Q(occurred_at__date__lte=self.date_to)
        if self.q:
            for word in self.q.split()[:8]:
                condition &= (
                    Q(key__iexact=word)
                    | Q(subject__icontains=word)
                    | Q(agenda__icontains=word)
                    | Q(minutes__icontains=word)
                    | Q(channel__icontains=word)
                )
        return condition


def _open_items_count(audience: Audience) -> Coalesce:
    items = ActionItem.objects.for_audience(audience).filter(
        interaction=OuterRef("pk"), status=ActionItem.Status.OPEN
    )
    return Coalesce(
        Subquery(
            items.order_by().values("interaction").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _participants_prefetch(to_attr: str | None = None) -> "Prefetch[str]":
    return Prefetch(
        "participants",
        queryset=User.objects.only("id", "display_name", "email").order_by("pk"),
        to_attr=to_attr,
    )


# A list's rows carry their participants and requirements as plain lists
# (Prefetch to_attr): prefetching into the related managers builds a manager
# and a queryset per row and relation, a third of a 100-row API page.
PARTICIPANTS = "participant_list"
REQUIREMENTS = "requirement_list"


def requirement_keys_prefetch() -> "Prefetch[str]":
    """Each row's requirements (their keys, as the API shows them), in REQUIREMENTS."""
    return Prefetch(
        "requirements",
        queryset=Requirement.objects.only("pk", "key").order_by("pk"),
        to_attr=REQUIREMENTS,
    )


def interaction_list(
    *, project: Project, audience: Audience, filters: InteractionFilters | None = None
) -> QuerySet[Interaction]:
    """Newest first; each row knows its open action items (those this audience
    sees) and carries its participants (in PARTICIPANTS)."""
    filters = filters or InteractionFilters()
    return (
        Interaction.objects.for_audience(audience)
        .filter(project=project)
        .filter(filters.q_filter())
        .annotate(open_action_items=_open_items_count(audience))
        .prefetch_related(_participants_prefetch(to_attr=PARTICIPANTS))
        .order_by("-occurred_at", "-id")
    )


def interaction_kind_counts(
    *, project: Project, audience: Audience, filters: InteractionFilters
) -> dict[str, int]:
    """Kind → how many interactions match the other filters, in one query."""
    rows = (
        Interaction.objects.for_audience(audience)
        .filter(project=project)
        .filter(filters.q_filter())
        .order_by()
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["kind"]: row["n"] for row in rows}


def interaction_get(*, project: Project, audience: Audience, key: str) -> Interaction:
    interaction = (
        Interaction.objects.for_audience(audience)
        .filter(project=project, key=key)
        .select_related("plan_item", "created_by")
        .prefetch_related(_participants_prefetch())
        .first()
    )
    if interaction is None:
        raise Http404
    interaction.project = project
    return interaction


def interaction_action_items(
    *, interaction: Interaction, audience: Audience
) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_audience(audience)
        .filter(interaction=interaction)
        .select_related("owner")
        .order_by("status", "due_date", "id")
    )


def interaction_requirements(
    *, interaction: Interaction, audience: Audience
) -> QuerySet[Requirement]:
    return (
        Requirement.objects.for_audience(audience)
        .filter(interactions=interaction)
        .only("id", "key", "title", "project_id")
        .order_by("id")
    )


def interaction_attachments(*, interaction: Interaction) -> QuerySet[Attachment]:
    """The interaction's files and those sent with its action items (the
    client closing "send the floor plans" with the plans attached)."""
    items = ActionItem.objects.filter(interaction=interaction).values("pk")
    return Attachment.objects.filter(
        Q(target_type=ContentType.objects.get_for_model(Interaction), target_id=interaction.pk)
        | Q(target_type=ContentType.objects.get_for_model(ActionItem), target_id__in=items),
        project_id=interaction.project_id,
    ).select_related("uploaded_by")


def project_people(*, project: Project) -> list[Membership]:
    """The project's active members, team first, for participant pickers and filters."""
    order: dict[str, int] = {
        Membership.Role.MANAGER: 0,
        Membership.Role.MEMBER: 1,
        Membership.Role.OBSERVER: 2,
    }
    rows = list(
        Membership.objects.filter(project=project, user__is_active=True).select_related("user")
    )
    rows.sort(key=lambda m: (order.get(m.role, 3), str(m.user).lower()))
    return rows


def interaction_rows(*, project: Project) -> QuerySet[Interaction]:
    """Interactions with what the API shows of each: creator, participants,
    requirement keys (as the list has them: PARTICIPANTS, REQUIREMENTS)."""
    return (
        Interaction.objects.filter(project=project)
        .select_related("created_by")
        .prefetch_related(_participants_prefetch(to_attr=PARTICIPANTS), requirement_keys_prefetch())
    )
