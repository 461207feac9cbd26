"""The people view: each person the viewer may see (projects.access.visible_people)
over the next eight weeks, across all the organization's projects: capacity less
time off, hours allocated (their open tasks' estimates spread as the workload
page spreads them) and hours free; who is over, who is free next month.

Rows are dicts of escaped text (docs/architecture.md, Pages that stay fast): an
owner's page shows 200 people × 8 weeks. A fixed number of queries: the people
(with the page's count when nothing is filtered), then `person_weeks`' four.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from liaison.accounts.models import Organization, User
from liaison.core.links import RowUrls
from liaison.core.params import iso_date
from liaison.planning.selectors.workload import (
    ONE_WEEK,
    ZERO,
    PersonWeeks,
    WorkloadFilters,
    load_level,
    monday_of,
    person_weeks,
    plain_hours,
)
from liaison.projects import access

WEEKS = 8
PER_PAGE = 200
# "Free next month": at least a working day's hours free over the four weeks
# after the first one shown.
NEXT_MONTH = range(1, 5)
FREE_ENOUGH = Decimal(8)
SHOW = ("all", "over", "free")


@dataclass(frozen=True)
class PeopleFilters:
    start: dt.date  # a Monday
    show: str = "all"  # everyone, who is over in some week, who is free next month

    @classmethod
    def from_query(
        cls, query: QueryDict | dict[str, str], today: dt.date | None = None
    ) -> "PeopleFilters":
        start = iso_date(str(query.get("from", ""))) or today or timezone.localdate()
        show = str(query.get("show", ""))
        return cls(start=monday_of(start), show=show if show in SHOW else "all")

    @property
    def weeks(self) -> WorkloadFilters:
        return WorkloadFilters(start=self.start, weeks=WEEKS)

    def query(self, **changes: object) -> str:
        return urlencode({"from": self.start.isoformat(), "show": self.show, **changes})

    @property
    def previous_query(self) -> str:
        return self.query(**{"from": (self.start - ONE_WEEK * WEEKS).isoformat()})

    @property
    def next_query(self) -> str:
        return self.query(**{"from": (self.start + ONE_WEEK * WEEKS).isoformat()})


@dataclass(frozen=True)
class PeopleView:
    filters: PeopleFilters
    weeks: list[dt.date]  # the Mondays
    page: "Page[dict[str, Any]]"  # rows: dicts of escaped text


def _cells(person: PersonWeeks) -> list[dict[str, Any]]:
    cells = []
    for index, capacity in enumerate(person.capacity):
        hours = person.total(index).quantize(Decimal("0.1"))
        cells.append(
            {
                "hours": SafeString(plain_hours(hours)),
                "capacity": SafeString(plain_hours(capacity)),
                "free": SafeString(plain_hours(capacity - hours)),
                "level": load_level(hours, capacity),
                "off": SafeString(person.days_off[index] or ""),
            }
        )
    return cells


def _row(person: dict[str, Any], weeks: PersonWeeks, urls: RowUrls) -> dict[str, Any]:
    cells = _cells(weeks)
    free_next = sum(
        (max(weeks.capacity[i] - weeks.total(i), ZERO) for i in NEXT_MONTH),
        ZERO,
    ).quantize(Decimal("0.1"))
    return {
        "id": person["pk"],
        "name": escape(person["display_name"] or person["email"]),
        "url": SafeString(urls(person["pk"])),
        "capacity": SafeString(weeks.hours_per_week),
        "cells": cells,
        "free_next": SafeString(plain_hours(free_next)),
        "over": any(cell["level"] == "over" for cell in cells),
        "free": free_next >= FREE_ENOUGH,
    }


def _rows(
    organization: Organization, people: list[dict[str, Any]], filters: PeopleFilters
) -> list[dict[str, Any]]:
    weeks = person_weeks(
        organization_id=organization.pk,
        user_ids=[person["pk"] for person in people],
        filters=filters.weeks,
    )
    urls = RowUrls("projects:person")
    return [_row(person, weeks[person["pk"]], urls) for person in people]


def people_view(
    *, user: User, organization: Organization, filters: PeopleFilters, page: str | None = None
) -> PeopleView:
    """The viewer's people by name, a page of 200 at most. Everyone: the page is
    read, then its people's weeks; over or free: everyone's weeks, then the page."""
    people = (
        access.visible_people(user, organization)
        .order_by("display_name", "email", "pk")
        .values("pk", "display_name", "email")
    )
    if filters.show == "all":
        shown = Paginator(people, PER_PAGE).get_page(page)
        shown.object_list = _rows(organization, list(shown.object_list), filters)
    else:
        rows = _rows(organization, list(people), filters)
        wanted = "over" if filters.show == "over" else "free"
        shown = Paginator([row for row in rows if row[wanted]], PER_PAGE).get_page(page)
    mondays = [filters.start + ONE_WEEK * n for n in range(WEEKS)]
    return PeopleView(filters=filters, weeks=mondays, page=shown)
