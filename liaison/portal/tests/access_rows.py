"""The access matrix's rows for the portal's own pages: the client's home, a
project's page and its comments, the timeline. The portal pages of a feature
(portal:requirements, portal:report, …) are in that feature's rows
(liaison/tests/access_matrix.py has the framework)."""

from liaison.tests.access_matrix import PORTAL, P, page

PAGES = [
    page("portal:home", "GET", PORTAL),
    page("portal:account", "GET", PORTAL),
    page("portal:search", "GET", PORTAL),
    page("portal:project", "GET", PORTAL, kwargs=P),
    page("portal:comment", "POST", PORTAL, 302, kwargs=P, data={"body": "Hello"}),
    page("portal:timeline", "GET", PORTAL, kwargs=P),
]
