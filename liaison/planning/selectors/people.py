"""The people view: each person the viewer may see (projects.access.visible_people)
over the next eight weeks, across all the organization's projects: capacity less
time off, hours allocated (their open tasks' estimates spread as the workload
page spreads them) and hours free; who is over, who is free next month.

Rows are dicts of escaped text (docs/architecture.md, Pages that stay fast): an
owner's page shows 200 people × 8 weeks. A fixed number of queries: the people
(with the page's count when nothing is filtered), then `person_weeks`' four.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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


def _free_next_month(weeks: PersonWeeks) -> Decimal:
    free = (max(weeks.capacity[i] - weeks.total(i), ZERO) for i in NEXT_MONTH)
    return sum(free, ZERO).quantize(Decimal("0.1"))


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
    """A row of the page: escaped text."""
    cells = _cells(weeks)
    free_next = _free_next_month(weeks)
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


def _figures(person: dict[str, Any], weeks: PersonWeeks, start: dt.date) -> dict[str, Any]:
    """A row of the API: numbers."""
    cells: list[dict[str, Any]] = []
    for index, capacity in enumerate(weeks.capacity):
        hours = weeks.total(index).quantize(Decimal("0.1"))
        cells.append(
            {
                "start": start + ONE_WEEK * index,
                "capacity": capacity,
                "allocated": hours,
                "free": capacity - hours,
                "days_off": weeks.days_off[index],
            }
        )
    free_next = _free_next_month(weeks)
    return {
        "user_id": person["pk"],
        "name": person["display_name"] or person["email"],
        "hours_per_week": weeks.hours_per_week,
        "weeks": cells,
        "free_next_month": free_next,
        "over": any(cell["allocated"] > cell["capacity"] for cell in cells),
        "free": free_next >= FREE_ENOUGH,
    }


Build = Callable[[dict[str, Any], PersonWeeks], dict[str, Any]]


def _rows(
    organization: Organization, people: list[dict[str, Any]], filters: PeopleFilters, build: Build
) -> list[dict[str, Any]]:
    weeks = person_weeks(
        organization_id=organization.pk,
        user_ids=[person["pk"] for person in people],
        filters=filters.weeks,
    )
    return [build(person, weeks[person["pk"]]) for person in people]


def _people(user: User, organization: Organization) -> QuerySet[User, Any]:
    """The people's ids and names (their rows' `pk`, `display_name`, `email`)."""
    return (
        access.visible_people(user, organization)
        .order_by("display_name", "email", "pk")
        .values("pk", "display_name", "email")
    )


def _wanted(rows: list[dict[str, Any]], show: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["over" if show == "over" else "free"]]


def people_view(
    *, user: User, organization: Organization, filters: PeopleFilters, page: str | None = None
) -> PeopleView:
    """The viewer's people by name, a page of 200 at most, as dicts of escaped
    text. Everyone: the page is read, then its people's weeks; over or free:
    everyone's weeks, then the page."""
    urls = RowUrls("projects:person")

    def build(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _rows(organization, people, filters, lambda p, w: _row(p, w, urls))

    people = _people(user, organization)
    if filters.show == "all":
        shown = Paginator(people, PER_PAGE).get_page(page)
        shown.object_list = build(list(shown.object_list))
    else:
        shown = Paginator(_wanted(build(list(people)), filters.show), PER_PAGE).get_page(page)
    mondays = [filters.start + ONE_WEEK * n for n in range(WEEKS)]
    return PeopleView(filters=filters, weeks=mondays, page=shown)


class FigureRows:
    """The API's rows as numbers, read a window at a time: the API's pagination
    asks the length (one count) and a slice (that window's people and weeks)."""

    def __init__(
        self, people: QuerySet[User, Any], build: Callable[..., list[dict[str, Any]]]
    ) -> None:
        self.people, self.build = people, build

    def __len__(self) -> int:
        return self.people.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return self.build(list(self.people[window]))


def people_figures(
    *, user: User, organization: Organization, filters: PeopleFilters
) -> FigureRows | list[dict[str, Any]]:
    """The same people and weeks as numbers, for the API."""

    def build(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _rows(organization, people, filters, lambda p, w: _figures(p, w, filters.start))

    people = _people(user, organization)
    if filters.show == "all":
        return FigureRows(people, build)
    return _wanted(build(list(people)), filters.show)
