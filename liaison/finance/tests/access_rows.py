"""The access matrix's rows for finance: the team's pages and the API
(liaison/tests/access_matrix.py has the framework), a section per part."""

from liaison.tests.access_matrix import API_VIEW, PROJECTS, TEAM_VIEW, P, endpoint, page

# -- Value: earned value (the page and the API read totals: the team, observers too)

VALUE_PAGES = [
    page("finance:value", "GET", TEAM_VIEW, kwargs=P),
]

VALUE_ENDPOINTS = [
    endpoint("GET", PROJECTS + "/{code}/earned-value", API_VIEW, params=P),
]


PAGES = [*VALUE_PAGES]
ENDPOINTS = [*VALUE_ENDPOINTS]
