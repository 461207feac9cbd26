"""The registry: how the layers above plug into the ones below without being
imported by them (docs/architecture.md, "The registry").

Each app's `AppConfig.ready()` registers what it offers; the surfaces and the
collaboration layer iterate what is registered. Registration happens once, at
start-up, in INSTALLED_APPS order; nothing registers later.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.db import models
from django.urls import URLPattern, URLResolver

from liaison.core.calendar import FeedEvent, FeedScope
from liaison.core.glossing import Gloss
from liaison.core.reporting import SectionFacts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from liaison.core.search import SearchDoc


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
    the portal's pages. `waiting(project_ids)` gives the rows waiting in those
    projects, oldest first (a lazy queryset); `template` shows one row, given
    `item` and `show_project`."""

    name: str
    order: int
    waiting: Callable[[list[int]], models.QuerySet[Any]]
    template: str


def _nothing(*args: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class OverviewCard:
    """A card of a project's overview page (the team's). `context(request,
    project, audience)` gives what `template` shows, besides `project`, the
    permission flags and the project's `members` (the page's header counts
    them). `column`: "main" (the wide one, with the project's description and
    comments) or "side"."""

    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any]] = _nothing
    column: Literal["main", "side"] = "side"


@dataclass(frozen=True)
class PortalTab:
    """A tab of a project's pages in the client's portal, and the pages the
    feature serves there. `urls`: URL patterns mounted under the portal's
    `p/<str:code>/`, in the `portal` namespace (their names are
    `portal:<name>`); `url_name` is the tab's page. The tab is marked as the
    current page on its page and on the pages under it (`exact`: on its page
    only), and on any page whose path holds one of `also_current`."""

    label: "StrOrPromise"
    url_name: str
    order: int
    urls: Sequence[URLPattern | URLResolver] = ()
    exact: bool = False
    also_current: tuple[str, ...] = ()

    def is_current(self, path: str, url: str) -> bool:
        """Whether the page at `path` is the tab's; `url` is the tab's page."""
        under = path == url if self.exact else url in path
        return under or any(fragment in path for fragment in self.also_current)


@dataclass(frozen=True)
class PortalCard:
    """A card of a project's page in the client's portal, after the decisions
    waiting. `context(request, project)` gives what `template` shows, besides
    `project` (the audience is the client's)."""

    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any]] = _nothing
    # "main": the page's wide column (the client's work and decisions);
    # "side": where the project stands, who to ask, how they hear.
    column: Literal["main", "side"] = "main"


@dataclass(frozen=True)
class DemoWorld:
    """What the demo's steps share: the organization, its people by the name
    before the @ of their address ("pm", "client"), its projects by code
    ("ACME-WMS"), and the day the demo is loaded. Typed loosely: the kernel
    knows no app's models (they are accounts' and projects')."""

    organization: Any
    people: dict[str, Any]
    projects: dict[str, Any]
    today: dt.date

    def days(self, n: int) -> dt.date:
        """The day n days from today (before it when n is negative)."""
        return self.today + dt.timedelta(days=n)


@dataclass(frozen=True)
class DemoStep:
    """A feature's part of the demo data (`manage.py demo_data`): `load(world)`
    writes it through the feature's services. Steps run by `order`, after the
    organization, people and projects exist; registered from the feature's
    `demo.py`, which only the demo app imports (never in production)."""

    name: str
    order: int
    load: Callable[[DemoWorld], None]


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


@dataclass(frozen=True)
class FeedSource:
    """A kind of dated thing in a person's calendar feed (home's). `team(scope,
    limit)` gives the events of a team member's feed, `client(scope, limit)` a
    client's (None: the source shows clients nothing); each runs one query and
    gives at most `limit` events. Sources run by `order`."""

    name: str
    order: int
    team: Callable[[FeedScope, int], list[FeedEvent]]
    client: Callable[[FeedScope, int], list[FeedEvent]] | None = None


@dataclass(frozen=True)
class DashboardCard:
    """A card of the team's dashboard, between what needs the person's
    attention and their projects. `context(request)` gives what `template`
    shows, besides `user`."""

    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any]] = _nothing


@dataclass(frozen=True)
class RequirementMark:
    """A mark a feature above puts on requirements, which their page and list
    show (controls: "verified by the client" in acceptance tests).
    `marked(project, requirement_ids)` gives the ids that bear it, in one query."""

    name: str
    order: int
    label: "StrOrPromise"
    marked: Callable[[Any, Sequence[int]], set[int]]
    colour: str = "green"


@dataclass(frozen=True)
class TaskHours:
    """Hours logged on tasks, which a feature above planning keeps (finance:
    the time people log) and the task pages show beside the estimate.
    `logged(project, task_ids)` gives each task's hours (`Decimal`) in one
    query; `label` says which hours count; `log_url` names the page that logs
    time on a task from its page (a POST taking `task`, `day`, `hours`);
    `panel` is a template the task's page shows to those who edit (finance:
    the person's timer), with `panel_context(request, project, task)` as
    `panel`."""

    name: str
    order: int
    label: "StrOrPromise"
    logged: Callable[[Any, Sequence[int]], Mapping[int, Any]]
    log_url: str = ""
    panel: str = ""
    panel_context: Callable[..., dict[str, Any]] = _nothing


@dataclass(frozen=True)
class TermSource:
    """Terms explained wherever a project's client-visible text is rendered
    (`|markdown_in:project`, core/glossing.py): `terms(project)` gives the
    project's terms the client may read, in the reader's language, in one
    query (glossary). Asked once per project object and language."""

    name: str
    order: int
    terms: Callable[[Any], Sequence[Gloss]]


@dataclass(frozen=True)
class SearchSource:
    """A kind of thing the search finds (core/search.py). `model` is the model's
    label (`"requirements.Requirement"`): `search.index(row)` finds the source
    by it and writes `doc(row)` (None: the row is not to be found, and its
    entry goes); `docs(project)` gives every entry of a project, for
    `manage.py search_rebuild`. `label` names the kind in the search's filter;
    `fields` are the row's fields its entry reads (`search.index_changed` skips
    a change to none of them; empty: any change counts)."""

    name: str
    order: int
    label: "StrOrPromise"
    model: str
    doc: Callable[[Any], "SearchDoc | None"]
    docs: Callable[[Any], "Iterable[SearchDoc]"]
    fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MilestoneSection:
    """A section of a milestone's page that a feature above planning adds
    (documents: the versions it delivers and what the client accepted).
    `context(request, project, milestone, audience)` gives what the template
    shows as `section`, besides `project`, `milestone` and, on the team's page,
    the permission flags; `template` is the team's page's, `portal_template`
    the client's ("": the client's page shows nothing)."""

    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any]] = _nothing
    portal_template: str = ""


# A reminder run: a function of "now" returning how many people it told.
Reminder = Callable[[dt.datetime | None], int]
# What a feature above does when the client approves a change request, inside the
# approval's transaction: called `(change=…, by=…)`; a refusal undoes the approval.
ChangeApproved = Callable[..., None]
# A change's cost suggested from its effort: `(project, hours)` → an amount in the
# project's currency, or None when nothing prices an hour.
CostEstimator = Callable[[Any, Decimal], Decimal | None]
AnyChangeApproved = TypeVar("AnyChangeApproved", bound=ChangeApproved)
# What a feature above does when the client accepts a milestone, inside the
# acceptance's transaction: called `(milestone=…, by=…)` (documents records the
# hash of each version it delivered); a refusal undoes the acceptance.
MilestoneAccepted = Callable[..., None]
AnyMilestoneAccepted = TypeVar("AnyMilestoneAccepted", bound=MilestoneAccepted)
RoomSender = Callable[[RoomMessage], None]
AnyReminder = TypeVar("AnyReminder", bound=Reminder)
Entry = (
    ProjectLink
    | ClientDecision
    | OverviewCard
    | PortalTab
    | PortalCard
    | ReportSection
    | DemoStep
    | FeedSource
    | DashboardCard
    | RequirementMark
    | TaskHours
    | TermSource
    | SearchSource
    | MilestoneSection
)


@dataclass
class Registry:
    room_senders: list[RoomSender] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    project_links: list[ProjectLink] = field(default_factory=list)
    client_decisions: list[ClientDecision] = field(default_factory=list)
    overview_cards: list[OverviewCard] = field(default_factory=list)
    # Event name → the kind of notification it is (collab.notification_kinds):
    # each app names the events its services write.
    notification_events: dict[str, str] = field(default_factory=dict)
    demo_steps: list[DemoStep] = field(default_factory=list)
    portal_tabs: list[PortalTab] = field(default_factory=list)
    portal_cards: list[PortalCard] = field(default_factory=list)
    report_sections: list[ReportSection] = field(default_factory=list)
    feed_sources: list[FeedSource] = field(default_factory=list)
    dashboard_cards: list[DashboardCard] = field(default_factory=list)
    requirement_marks: list[RequirementMark] = field(default_factory=list)
    task_hours: list[TaskHours] = field(default_factory=list)
    term_sources: list[TermSource] = field(default_factory=list)
    search_sources: list[SearchSource] = field(default_factory=list)
    milestone_sections: list[MilestoneSection] = field(default_factory=list)
    # Where a signed-in person starts (sign-in, an accepted invitation): the
    # projects layer knows who is staff and who is a client; identity does not.
    start_page: Callable[[models.Model], str] = lambda user: "/"
    # The changes layer tells the layers above of an approval (finance moves the
    # agreed budget) and asks them for a cost of its effort, importing neither.
    change_approved: list[ChangeApproved] = field(default_factory=list)
    # The planning layer tells the layers above of a milestone's acceptance.
    milestone_accepted: list[MilestoneAccepted] = field(default_factory=list)
    cost_estimator: CostEstimator = lambda project, hours: None

    def room_sender(self, function: RoomSender) -> RoomSender:
        """Decorator: post a project's room events somewhere (webhooks do)."""
        self.room_senders.append(function)
        return function

    def add(self, *entries: Entry) -> None:
        """Register a feature's links, decisions, cards, tabs, report sections,
        feed sources and demo steps; each list stays sorted by `order`, whatever the order
        the apps start in."""
        for entry in entries:
            lists: dict[type, list[Any]] = {
                ProjectLink: self.project_links,
                ClientDecision: self.client_decisions,
                OverviewCard: self.overview_cards,
                DemoStep: self.demo_steps,
                PortalTab: self.portal_tabs,
                PortalCard: self.portal_cards,
                ReportSection: self.report_sections,
                FeedSource: self.feed_sources,
                DashboardCard: self.dashboard_cards,
                RequirementMark: self.requirement_marks,
                TaskHours: self.task_hours,
                TermSource: self.term_sources,
                SearchSource: self.search_sources,
                MilestoneSection: self.milestone_sections,
            }
            listed = lists[type(entry)]
            listed.append(entry)
            listed.sort(key=lambda item: item.order)

    def add_events(self, kinds: dict[str, str]) -> None:
        """Register the notification events an app writes, each with its kind.
        One event is one kind: a second app giving it another kind is a
        mistake caught at start-up, not a silent override."""
        for event, kind in kinds.items():
            known = self.notification_events.setdefault(event, kind)
            if known != kind:
                raise ValueError(f"notification event {event!r} is both {known!r} and {kind!r}")

    def on_change_approved(self, function: AnyChangeApproved) -> AnyChangeApproved:
        """Decorator: run `function(change=…, by=…)` in the transaction that approves
        a change request, after the change is applied and saved as approved."""
        if function not in self.change_approved:
            self.change_approved.append(function)
        return function

    def on_milestone_accepted(self, function: AnyMilestoneAccepted) -> AnyMilestoneAccepted:
        """Decorator: run `function(milestone=…, by=…)` in the transaction in which
        the client accepts a milestone, after it is saved as accepted."""
        if function not in self.milestone_accepted:
            self.milestone_accepted.append(function)
        return function

    def reminder(self, function: AnyReminder) -> AnyReminder:
        """Decorator: a feature's reminder run, which `manage.py send_reminders`
        runs with the others (for a deployment that runs cron instead of huey)."""
        if function not in self.reminders:
            self.reminders.append(function)
        return function


registry = Registry()
