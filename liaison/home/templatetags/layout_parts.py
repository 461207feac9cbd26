"""The layout's top bar and sidebar (home.layout: each rendered from a few
facts and kept for the next page that shows the same)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def topbar(context) -> SafeString:
    fragment = context["layout"].topbar()
    return fragment.html(CsrfTokenNode().render(context), context["request"].get_full_path())


@register.simple_tag(takes_context=True)
def sidebar(context) -> SafeString:
    """The team's sidebar, with the page's `project` and its links (managers'
    links need `can_manage` on the page); nothing for signed-out people and clients."""
    fragment = context["layout"].sidebar(context.get("project"), bool(context.get("can_manage")))
    if fragment is None:
        return SafeString("")
    return fragment.html(CsrfTokenNode().render(context), context["request"].path)
