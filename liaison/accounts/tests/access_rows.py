"""The access matrix's rows for signing in, passwords, one's own settings and API
tokens (liaison/tests/access_matrix.py has the framework)."""

from liaison.accounts.services import api_token_create
from liaison.accounts.tests.factories import PASSWORD
from liaison.tests.access_matrix import (
    API_PUBLIC,
    FOREIGN,
    LOGIN,
    OWN,
    PUBLIC,
    SIGNED_IN,
    BySide,
    World,
    endpoint,
    page,
    statuses,
)


def populate(world: World, side: str) -> int | None:
    """FOREIGN: the id of somebody else's token, the foreign project's manager's
    (each role's own token is made with the world)."""
    if side != FOREIGN:
        return None
    token, _secret = api_token_create(by=world.projects[FOREIGN].manager, name="theirs")
    return token.pk


# token-revoke: OWN is the requester's own token, FOREIGN somebody else's.
TOKEN_ID = BySide(
    lambda w, side, role: w.token_ids[role] if side == OWN else w.of["accounts"][FOREIGN]
)


def own_credentials(world: World, side: str, role: str) -> dict:
    user = world.users[role]
    return {"email": user.email if user else "nobody@test.example", "password": PASSWORD}


PAGES = [
    # -- signing in and out, passwords: open to everyone ---------------------------
    page("accounts:login", "GET", PUBLIC, signed_in=302, note="signed in: sent home"),
    page("accounts:login", "POST", PUBLIC, data={}, signed_in=302, case="empty form"),
    page("accounts:logout", "POST", statuses(all=LOGIN)),
    page("accounts:password-reset", "GET", PUBLIC),
    page("accounts:password-reset", "POST", PUBLIC, data={}, case="empty form"),
    page("accounts:password-reset-done", "GET", PUBLIC),
    page(
        "accounts:password-reset-confirm",
        "GET",
        PUBLIC,
        kwargs={"uidb64": "MTIzNDU2", "token": "not-a-valid-token"},
        note="an invalid link renders the 'link is not valid' page",
    ),
    page("accounts:password-reset-complete", "GET", PUBLIC),
    page("accounts:language", "POST", PUBLIC, 302, data={"language": "zh-hans", "next": "/"}),
    # -- the user's own account: anyone signed in, the client too ------------------
    page("accounts:password-change", "GET", SIGNED_IN),
    page("accounts:password-change", "POST", SIGNED_IN, data={}, case="empty form"),
    page("accounts:password-change-done", "GET", SIGNED_IN),
    page("accounts:settings", "GET", SIGNED_IN),
    page("accounts:settings", "POST", SIGNED_IN, data={}, case="empty form"),
    page("accounts:token-create", "POST", SIGNED_IN, 200, data={"name": "script"}),
    page(
        "accounts:token-revoke",
        "POST",
        SIGNED_IN,
        302,
        kwargs={"token_id": TOKEN_ID},
        note="OWN: the requester's own token; FOREIGN: somebody else's",
    ),
    page(
        "accounts:calendar-feed",
        "POST",
        SIGNED_IN,
        note="creates or replaces the user's own feed link and shows it once",
    ),
    page(
        "accounts:sessions-end-others",
        "POST",
        SIGNED_IN,
        302,
        note="ends the requester's own other sessions, never anyone else's",
    ),
]

ENDPOINTS = [
    endpoint(
        "POST",
        "/api/v1/auth/token",
        API_PUBLIC,
        201,
        data=own_credentials,
        anonymous=401,
        deactivated=401,
        note="each role sends its own e-mail and password",
    ),
]
