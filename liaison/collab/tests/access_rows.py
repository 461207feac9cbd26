"""The access matrix's rows for the inbox, notification preferences and the
e-mails' unsubscribe link (liaison/tests/access_matrix.py has the framework)."""

from liaison.collab.notify import unsubscribe_token
from liaison.tests.access_matrix import PUBLIC, SIGNED_IN, page, statuses

# The member's link to stop comment e-mails, the same whoever opens it.
UNSUBSCRIBE_TOKEN = lambda w, side, role: unsubscribe_token(w.users["member"], "comment")  # noqa: E731

PAGES = [
    page("collab:notifications", "GET", SIGNED_IN, note="the client gets the portal's inbox"),
    page("collab:notifications-read", "POST", SIGNED_IN, 302, data={}),
    page(
        "collab:notifications-unsubscribe",
        "GET",
        PUBLIC,
        kwargs={"token": UNSUBSCRIBE_TOKEN},
        note="the signed token in the e-mail's link is the credential; GET only asks",
    ),
    page(
        "collab:notifications-unsubscribe",
        "POST",
        PUBLIC,
        kwargs={"token": UNSUBSCRIBE_TOKEN},
        data={"List-Unsubscribe": "One-Click"},
        note="RFC 8058 one-click: no sign-in, no CSRF token; turns the member's comment mail off",
    ),
    page(
        "collab:notifications-unsubscribe",
        "GET",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        case="bad token",
    ),
    page(
        "collab:notifications-unsubscribe",
        "POST",
        statuses(all=404),
        kwargs={"token": "not-a-token"},
        case="bad token",
    ),
    page("collab:notification-preferences", "GET", SIGNED_IN),
    page(
        "collab:notification-preferences",
        "POST",
        SIGNED_IN,
        302,
        data={"daily_digest": "on"},
        note="the user's own preferences; unknown events keep their default",
    ),
]
