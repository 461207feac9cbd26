"""The portal's tabs, as the features register them (core.registry.PortalTab)."""

from django import template
from django.urls import reverse

from liaison.core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_tabs(context) -> list[dict]:
    """label, url and whether it is the current page, for each registered tab
    of the project's portal pages (core.registry.PortalTab)."""
    project, path = context["project"], context["request"].path
    tabs = []
    for tab in registry.portal_tabs:
        url = reverse(tab.url_name, args=[project.code])
        tabs.append({"label": tab.label, "url": url, "current": tab.is_current(path, url)})
    return tabs
