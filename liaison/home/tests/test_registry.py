"""The surfaces show what the features register (core.registry), in order,
and nothing a viewer may not follow."""

import re

import pytest
from django.urls import reverse

from liaison.core.registry import registry
from liaison.projects.selectors import decisions_waiting, portal_projects
from liaison.reports.tests.factories import published_report


def _sidebar_links(html: str) -> list[str]:
    sidebar = html.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', sidebar)


def test_every_feature_registers_its_links_decisions_and_cards():
    assert [link.url_name for link in registry.project_links] == [
        "home:overview",
        "requirements:list",
        "requirements:baselines",
        "changes:list",
        "planning:gantt",
        "planning:tasks",
        "planning:board",
        "planning:milestones",
        "planning:workload",
        "controls:risks",
        "controls:issues",
        "controls:quality",
        "documents:list",
        "communication:interactions",
        "communication:action-items",
        "finance:timesheet",
        "finance:budget",
        "finance:costs",
        "finance:value",
        "finance:invoicing",
        "reports:list",
        "glossary:terms",
        "projects:members",
        "home:activity",
        "projects:edit",
        "webhooks:list",
    ]
    assert [kind.name for kind in registry.client_decisions] == [
        "baselines",
        "milestones",
        "changes",
        "reports",
        "documents",
        "issue_resolutions",
        "disputes",
        "uat_rounds",
    ]
    cards = registry.overview_cards
    assert [card.name for card in cards if card.column == "main"] == ["about", "comments"]
    assert [card.name for card in cards if card.column == "side"] == [
        "plan",
        "changes",
        "risks",
        "issues",
        "quality",
        "value",
        "reports",
        "documents",
        "team",
        "activity",
    ]
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
    # The calendar feed's sources, in the feed's order; tasks are the team's only.
    assert [(source.name, source.client is not None) for source in registry.feed_sources] == [
        ("milestones", True),
        ("tasks", False),
        ("meetings", True),
        ("action_items", True),
    ]
    assert [card.name for card in registry.dashboard_cards] == ["timer", "action_items"]


@pytest.mark.django_db
def test_the_sidebar_lists_the_registered_links_and_keeps_managers_links_for_managers(
    client, login, project, manager, member
):
    overview = reverse("home:overview", args=[project.code])
    login(manager)
    manager_links = _sidebar_links(client.get(overview).content.decode())
    login(member)
    member_links = _sidebar_links(client.get(overview).content.decode())

    project_section = [
        reverse(link.url_name, args=[project.code]) for link in registry.project_links
    ]
    assert manager_links[: len(project_section)] == project_section
    managers_only = {
        reverse(link.url_name, args=[project.code])
        for link in registry.project_links
        if link.managers_only
    }
    assert managers_only and not managers_only & set(member_links)


@pytest.mark.django_db
def test_the_portal_lists_each_registered_kind_of_decision(project, client_user):
    report = published_report(project)
    decisions = decisions_waiting(projects=portal_projects(user=client_user))
    assert [waiting.kind.name for waiting in decisions.kinds] == [
        "baselines",
        "milestones",
        "changes",
        "reports",
        "documents",
        "issue_resolutions",
        "disputes",
        "uat_rounds",
    ]
    assert list(decisions) == [report]
    assert len(decisions_waiting(projects=[project])) == 1


@pytest.mark.django_db
def test_the_overview_shows_its_own_cards_and_the_features_in_their_columns(
    client, login, project, manager
):
    html = login(manager).get(reverse("home:overview", args=[project.code])).content.decode()
    main, side = html.split('<div class="grid-2">', 1)[1].split('<div class="stack">')[1:3]
    title = r'<h2 class="card__title"[^>]*>([^<]+?)\s*(?:<|$)'
    assert re.findall(title, main) == ["About", "Comments"]
    assert re.findall(title, side) == [
        "Plan",
        "Changes",
        "Top risks",
        "Open issues",
        "Quality",
        "Cost and schedule",
        "Reports",
        "Team and client",
        "Recent activity",
    ]
