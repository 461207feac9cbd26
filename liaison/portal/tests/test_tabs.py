"""The portal's tabs and the cards of its project page come from the registry
(core.registry.PortalTab, PortalCard): the features register them with their
pages, in order, and the portal marks the tab of the page one is on."""

import re

import pytest
from django.urls import reverse

from liaison.core.registry import PortalTab, Registry, registry
from liaison.planning.tests.factories import make_milestone
from liaison.reports.tests.factories import published_report

pytestmark = pytest.mark.django_db


def _tabs(html: str) -> list[tuple[str, str, bool]]:
    """(label, href, current) of each link of the portal's project navigation."""
    nav = html.split('<nav class="portal-nav"', 1)[1].split("</nav>", 1)[0]
    return [
        (label, href, bool(current))
        for href, current, label in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]*)</a>', nav
        )
    ]


def _current(html: str) -> list[str]:
    return [label for label, _href, current in _tabs(html) if current]


def test_the_tabs_are_registered_in_order_with_their_pages():
    assert [tab.url_name for tab in registry.portal_tabs] == [
        "portal:project",
        "portal:requirements",
        "portal:changes",
        "portal:risks",
        "portal:issues",
        "portal:uat-rounds",
        "portal:timeline",
        "portal:interactions",
        "portal:documents",
        "portal:reports",
        "portal:glossary",
    ]
    orders = [tab.order for tab in registry.portal_tabs]
    assert orders == sorted(orders)
    # The overview is the portal's own page; every feature's tab brings its pages.
    assert not registry.portal_tabs[0].urls
    assert all(tab.urls for tab in registry.portal_tabs[1:])
    assert [card.name for card in registry.portal_cards] == [
        "standing",
        "health",
        "action_items",
        "requirements",
        "timeline",
        "issues",
        "budget",
        "communication_plan",
        "documents",
    ]


def test_a_tab_takes_its_place_by_order_whatever_the_order_it_comes_in():
    own = Registry()
    own.add(
        PortalTab("Reports", "portal:reports", order=60),
        PortalTab("Overview", "portal:project", order=10, exact=True),
        PortalTab("Changes", "portal:changes", order=30),
    )
    assert [tab.label for tab in own.portal_tabs] == ["Overview", "Changes", "Reports"]


def test_a_tab_is_current_on_its_page_under_it_and_where_it_says():
    url = "/portal/p/OWN/timeline/"
    timeline = PortalTab(
        "Timeline", "portal:timeline", 40, exact=True, also_current=("/milestones/",)
    )
    changes = PortalTab("Changes", "portal:changes", 30)
    assert timeline.is_current(url, url)
    assert not timeline.is_current(url + "more/", url)
    assert timeline.is_current("/portal/p/OWN/milestones/M-1/", url)
    assert changes.is_current("/portal/p/OWN/changes/CR-1/", "/portal/p/OWN/changes/")
    assert not changes.is_current("/portal/p/OWN/reports/", "/portal/p/OWN/changes/")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("", ["Overview"]),
        ("requirements/", ["Requirements"]),
        ("requirements/request/", ["Requirements"]),
        ("changes/", ["Changes"]),
        ("changes/new/", ["Changes"]),
        ("timeline/", ["Timeline and milestones"]),
        ("milestones/M-1/", ["Timeline and milestones"]),
        ("communication/", ["Conversations"]),
        ("message/", ["Conversations"]),
        ("reports/", ["Reports"]),
        ("reports/1/", ["Reports"]),
    ],
)
def test_the_page_marks_its_tab_current(login, project, client_user, path, current):
    make_milestone(project)
    published_report(project)
    response = login(client_user).get(f"/portal/p/OWN/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _tabs(html) == [
        (str(tab.label), reverse(tab.url_name, args=[project.code]), str(tab.label) in current)
        for tab in registry.portal_tabs
    ]
    assert _current(html) == current


def test_a_registered_tab_appears_in_its_place(login, project, client_user, monkeypatch):
    extra = PortalTab("Write to us", "portal:message", order=15)
    tabs = sorted([*registry.portal_tabs, extra], key=lambda tab: tab.order)
    monkeypatch.setattr(registry, "portal_tabs", tabs)

    html = login(client_user).get("/portal/p/OWN/message/").content.decode()

    assert [label for label, _href, _current in _tabs(html)][:3] == [
        "Overview",
        "Write to us",
        "Requirements",
    ]
    # Its page is under it, and the conversations' tab says so too.
    assert _current(html) == ["Write to us", "Conversations"]


def test_the_project_page_shows_the_registered_cards_in_order(login, project, client_user):
    html = login(client_user).get("/portal/p/OWN/").content.decode()
    titles = re.findall(r'<h2 class="card__title"[^>]*>([^<]+)</h2>', html)
    assert titles[:3] == ["Your action items", "Requirements", "Timeline and milestones"]
