"""The portal's words for requirements: a requirement's status as the client
would say it (`{% load requirement_words %}` in templates/requirements/portal/)."""

from typing import TYPE_CHECKING

from django import template
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

# The client does not need the team's workflow vocabulary, only where their
# requirement stands. Colours come from `requirement_status_colour`.
PLAIN_STATUS = {
    "draft": _("Received"),
    "in_review": _("Being reviewed"),
    "confirmed": _("Agreed"),
    "implemented": _("Built"),
    "verified": _("Built and checked"),
    "rejected": _("Not planned"),
    "deferred": _("Postponed"),
}


@register.filter
def plain_status(status: str) -> "StrOrPromise":
    return PLAIN_STATUS.get(status, status)
