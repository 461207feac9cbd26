"""The access matrix's rows for the dashboard, a project's overview and activity,
and the calendar feed (liaison/tests/access_matrix.py has the framework)."""

from liaison.tests.access_matrix import (
    API_SIGNED_IN,
    ORG_STAFF,
    TEAM_COMMENT,
    TEAM_VIEW,
    P,
    Redirect,
    endpoint,
    page,
    statuses,
)

PAGES = [
    page(
        "home:dashboard",
        "GET",
        ORG_STAFF,
        client=Redirect("/portal/"),
        note="the site's root sends a client user to the portal",
    ),
    page("home:search", "GET", ORG_STAFF, note="each finds what they see; a client in the portal"),
    page("home:overview", "GET", TEAM_VIEW, kwargs=P),
    page("home:activity", "GET", TEAM_VIEW, kwargs=P),
    page("home:comment", "POST", TEAM_COMMENT, 302, kwargs=P, data={"body": "Hello"}),
    page(
        "home:calendar-feed",
        "GET",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        note="the secret in the link is the credential; a wrong one is 404 for everyone",
    ),
]

ENDPOINTS = [
    # Each finds what they see: the team's rows, or a client's client-visible ones.
    endpoint("GET", "/api/v1/search", API_SIGNED_IN),
]
