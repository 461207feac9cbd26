"""The project's links of the team's sidebar, as the features register them."""

from django import template

from liaison.home import layout

register = template.Library()


@register.simple_tag(takes_context=True)
def project_links(context) -> list[dict]:
    """label, url and whether it is the current page, for each registered link
    the viewer may follow (managers' links need `can_manage` on the page)."""
    return layout.project_links(
        context["project"], context["request"].path, bool(context.get("can_manage"))
    )
