"""The registry: how the layers above plug into the ones below without being
imported by them (docs/architecture.md, "The registry").

Each app's `AppConfig.ready()` registers what it offers; the surfaces and the
collaboration layer iterate what is registered. Registration happens once, at
start-up, in INSTALLED_APPS order; nothing registers later.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from liaison.core.reporting import SectionFacts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RoomMessage:
    """An event for the project's chat rooms: `text(language)` writes it in a
    language (a room has no single reader), `url` is absolute."""

    event: str
    room: str
    project: models.Model
    url: str
    text: Callable[[str], str]


@dataclass(frozen=True)
class ProjectLink:
    """A link of the project's section of the team's sidebar. `exact`: marked
    as the current page on that page only, not on the pages under it."""

    label: "StrOrPromise"
    url_name: str
    order: int
    exact: bool = False
    managers_only: bool = False


@dataclass(frozen=True)
class ClientDecision:
    """A kind of thing that waits for the client's decision, listed first on
    the portal's pages. `waiting(projects)` gives the rows waiting in those
    projects, oldest first (a lazy queryset); `template` shows one row, given
    `item` and `show_project`."""

    name: str
    order: int
    waiting: Callable[[models.QuerySet[Any]], models.QuerySet[Any]]
    template: str


@dataclass(frozen=True)
class OverviewCard:
    """A card of a project's overview page. `context(project, audience)` gives
    what `template` shows, besides `project` and the permission flags."""

    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class ReportSection:
    """A feature's part of a status report (liaison/core/reporting.py has what
    it is made with).

    `facts(project, start, end, moment)` gives the `SectionFacts` of the days
    start..end (inclusive, in the report's time zone): its values and the health
    they suggest; what is late is late as of `moment`. `defaults` names every
    value it gives, with what a report frozen before that value existed reads;
    `date_keys` maps each of its lists to the keys of its rows holding dates
    (ISO strings once frozen). `display(values)` adds what the templates draw
    from the values in the reader's language (labels, a chart).

    Its templates (in the report's body, which the page, the portal and the PDF
    share) get `facts`, the values with what `display` added: `stats`, its
    items of the list in the Figures card, placed by `stats_order` (`order` when
    None); `chart`, drawn under that list; `template`, its cards after the
    figures, placed by `order`, which also get `report` and `links` ("team",
    "portal", or "" in the PDF: plain text)."""

    name: str
    order: int
    facts: Callable[[Any, dt.date, dt.date, dt.datetime], SectionFacts]
    defaults: Mapping[str, Any]
    date_keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    display: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    stats: str = ""
    stats_order: int | None = None
    chart: str = ""
    template: str = ""


# A reminder run: a function of "now" returning how many people it told.
Reminder = Callable[[dt.datetime | None], int]
RoomSender = Callable[[RoomMessage], None]
AnyReminder = TypeVar("AnyReminder", bound=Reminder)


@dataclass
class Registry:
    room_senders: list[RoomSender] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    project_links: list[ProjectLink] = field(default_factory=list)
    client_decisions: list[ClientDecision] = field(default_factory=list)
    overview_cards: list[OverviewCard] = field(default_factory=list)
    report_sections: list[ReportSection] = field(default_factory=list)
    # Where a signed-in person starts (sign-in, an accepted invitation): the
    # projects layer knows who is staff and who is a client; identity does not.
    start_page: Callable[[models.Model], str] = lambda user: "/"

    def room_sender(self, function: RoomSender) -> RoomSender:
        """Decorator: post a project's room events somewhere (webhooks do)."""
        self.room_senders.append(function)
        return function

    def add(self, *entries: ProjectLink | ClientDecision | OverviewCard | ReportSection) -> None:
        """Register a feature's links, decisions, cards and report sections; each
        list stays sorted by `order`, whatever the order the apps start in."""
        for entry in entries:
            lists: dict[type, list[Any]] = {
                ProjectLink: self.project_links,
                ClientDecision: self.client_decisions,
                OverviewCard: self.overview_cards,
                ReportSection: self.report_sections,
            }
            listed = lists[type(entry)]
            listed.append(entry)
            listed.sort(key=lambda item: item.order)

    def reminder(self, function: AnyReminder) -> AnyReminder:
        """Decorator: a feature's reminder run, which `manage.py send_reminders`
        runs with the others (for a deployment that runs cron instead of huey)."""
        if function not in self.reminders:
            self.reminders.append(function)
        return function


registry = Registry()
