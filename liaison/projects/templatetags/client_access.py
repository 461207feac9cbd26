"""Whether the client may still act on a project, for the portal's templates:
a closed project (archived, completed or cancelled) is read-only for them, so
its pages offer no form and no link to one (access.is_closed_for_client; the
views and services refuse the POST all the same)."""

from django import template

from liaison.projects import access

register = template.Library()


@register.filter
def closed_for_client(project) -> bool:
    """Whether the client only reads this project now."""
    return access.is_closed_for_client(project)


@register.filter
def open_for_client(project) -> bool:
    """Whether the client may still act on this project (comment, decide, upload)."""
    return not access.is_closed_for_client(project)
