"""What every page's layout needs (home.layout), for every template rendered
with a request."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from liaison.home.layout import Layout

# The facts a page may also name on their own ({% if unread_count %}).
FACTS = ("unread_count", "is_client_user", "organizations", "current_organization", "is_org_admin")


def layout(request: HttpRequest) -> dict:
    """The layout's facts as `layout`, which base.html hands to the top bar and
    the sidebar it includes (an include with `only` sees nothing it is not
    given), and each of them by its own name too; none is read before a
    template asks for it."""
    facts = Layout(request)
    return {"layout": facts, **{name: _fact(facts, name) for name in FACTS}}


def _fact(facts: Layout, name: str) -> SimpleLazyObject:
    return SimpleLazyObject(lambda: getattr(facts, name))
