"""The project's links of the team's sidebar, as the features register them."""

from django import template
from django.urls import reverse

from liaison.core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def project_links(context) -> list[dict]:
    """label, url and whether it is the current page, for each registered link
    the viewer may follow (managers' links need `can_manage` on the page)."""
    project, path = context["project"], context["request"].path
    links = []
    for link in registry.project_links:
        if link.managers_only and not context.get("can_manage"):
            continue
        url = reverse(link.url_name, args=[project.code])
        current = path == url if link.exact else url in path
        links.append({"label": link.label, "url": url, "current": current})
    return links
