"""The members page's role menus."""

from functools import lru_cache

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def role_options(role: str, roles: tuple[tuple[str, str], ...]) -> SafeString:
    """The <option>s of a member's role menu, theirs selected: `roles` is the
    page's (value, label) pairs, so a page of members builds each menu once."""
    return _options(role, roles)


@lru_cache(maxsize=256)
def _options(role: str, roles: tuple[tuple[str, str], ...]) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == role else "", label) for value, label in roles),
    )
