"""What every page's layout needs: the user's organizations, the unread count."""

from liaison.collab.selectors import unread_notification_count
from liaison.projects import access
from liaison.projects.selectors import current_organization


def layout(request) -> dict:
    """The layout's facts by name, and all of them again as `layout`: base.html
    passes that one name to the top bar and the sidebar it includes (an include
    with `only` sees nothing it is not given)."""
    facts = _layout_facts(request)
    return {**facts, "layout": facts}


def _layout_facts(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"unread_count": unread_notification_count(user=user)}
    if access.is_client_user(user):
        return {**context, "is_client_user": True}
    organizations = list(access.user_organizations(user))
    current = current_organization(request)
    return {
        **context,
        "is_client_user": False,
        "organizations": organizations,
        "current_organization": current,
        "is_org_admin": current is not None and access.is_org_admin(user, current.pk),
    }
