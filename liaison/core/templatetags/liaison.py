"""Template helpers: markdown, badges, initials, readable activity, times
with an unambiguous zone."""

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.template.defaultfilters import urlencode
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from liaison.core.activity import field_display
from liaison.core.glossing import mark_terms
from liaison.core.links import RowUrls
from liaison.core.markdown import render_markdown
from liaison.core.models import Activity
from liaison.core.registry import registry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

# One colour per meaning (docs/architecture.md, Where code goes).
STATUS_COLOURS = {
    "proposed": "grey",
    "active": "blue",
    "on_hold": "amber",
    "completed": "green",
    "cancelled": "grey",
}
REQUIREMENT_STATUS_COLOURS = {
    "draft": "grey",
    "in_review": "amber",
    "confirmed": "blue",
    "implemented": "blue",
    "verified": "green",
    "rejected": "red",
    "deferred": "grey",
}

PLAN_STATUS_COLOURS = {
    # milestones
    "planned": "grey",
    "in_progress": "blue",
    "submitted": "amber",
    "accepted": "green",
    "rejected": "red",
    # tasks
    "todo": "grey",
    "blocked": "red",
    "done": "green",
}

VERDICT_COLOURS = {"accepted": "green", "rejected": "red", "pending": "amber"}

VERBS = {
    "created": _("created"),
    "updated": _("updated"),
    "archived": _("archived"),
    "restored": _("restored"),
    "commented": _("commented on"),
    "invited": _("invited"),
    "removed": _("removed"),
    "revoked": _("revoked"),
    "requested": _("requested"),
    "proposed": _("proposed"),
    "signed": _("signed"),
    "rejected": _("rejected"),
    "superseded": _("superseded"),
    "uploaded": _("uploaded"),
    "imported": _("imported requirements into"),
    "rescheduled": _("rescheduled"),
    "linked": _("linked"),
    "unlinked": _("unlinked"),
    "submitted": _("submitted for acceptance"),
    "accepted": _("accepted"),
    "deleted": _("deleted"),
    "sent": _("sent"),
    "attached": _("attached a file to"),
    # change requests move through their statuses; the verb is the new status
    "assessing": _("moved to assessment"),
    "awaiting_client": _("sent to the client"),
    "recalled": _("recalled from the client"),
    "approved": _("approved"),
    "withdrawn": _("withdrew"),
    "implemented": _("marked as implemented"),
    "published": _("published"),
    "acknowledged": _("acknowledged"),
    # a timer (finance)
    "started": _("started"),
    "stopped": _("stopped"),
    "discarded": _("discarded"),
    # documents
    "shared": _("shared with the client"),
    "changes_requested": _("asked for changes to"),
}


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def markdown_in(text: str, project: Any) -> SafeString:
    """Markdown of a project's client-visible text, its glossary terms marked
    (core/glossing.py); plain markdown when `project` is empty (a PDF, a mail)."""
    return mark_terms(render_markdown(text), project, [s.terms for s in registry.term_sources])


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "grey")


@register.filter
def plan_status_colour(status: str) -> str:
    """A milestone's or a task's status colour."""
    return PLAN_STATUS_COLOURS.get(status, "grey")


@register.filter
def verdict_colour(verdict: str) -> str:
    """An acceptance round's colour: accepted green, rejected red, pending amber, else grey."""
    return VERDICT_COLOURS.get(verdict, "grey")


@register.filter
def requirement_status_colour(status: str) -> str:
    return REQUIREMENT_STATUS_COLOURS.get(status, "grey")


@register.filter
def initials(user: object) -> str:
    """Two letters for an avatar: the Chinese given name when the display name
    has one (王芳 → 王芳, 张伟 Zhang Wei → 张伟), else the Latin initials."""
    return _initials(str(user or "?"))


# A list shows the same few people on many rows.
@lru_cache(maxsize=4096)
def _initials(name: str) -> str:
    name = name.strip()
    for word in name.split():
        if any("\u4e00" <= char <= "\u9fff" for char in word):
            return word[-2:]
    parts = name.split()
    if len(parts) > 1:
        return (parts[0][0] + parts[-1][0]).upper()
    return name[:2].upper()


@register.filter
def verb_label(verb: str) -> "StrOrPromise":
    return VERBS.get(verb, verb)


@register.filter
def diff_rows(activity: Activity) -> list[tuple["StrOrPromise", object, object]]:
    """(field label, old, new) for an activity's diff, in the reader's language."""
    # The content types' cache, not the row's relation: no query, no join.
    model = ContentType.objects.get_for_id(activity.target_type_id).model_class()
    assert model is not None, "the log holds changes to installed models only"
    rows = []
    for name, (old, new) in (activity.diff or {}).items():
        label, old_value = field_display(model, name, old)
        rows.append((label, old_value, field_display(model, name, new)[1]))
    return rows


@register.filter
def get_item(mapping: Mapping[object, object], key: object) -> object:
    return mapping.get(key)


def utc_offset(moment: dt.datetime) -> str:
    """ "UTC+08:00", "UTC-03:30", "UTC": a zone abbreviation such as CST means
    China, Cuba or the US Midwest; the offset means one thing."""
    offset = moment.utcoffset() or dt.timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


# Dates as the pages show them, written out directly: Django's `date` filter
# parses its format string on every call, a cost a list pays per row and cell.
# `expects_localtime` gives these filters what `date` gets: an aware time in the
# reader's zone (and honours {% localtime off %}).


@register.filter(expects_localtime=True)
def day(value: object) -> str:
    """2026-11-18, as `date:"Y-m-d"` writes it."""
    return value.isoformat()[:10] if isinstance(value, dt.date) else ""


@register.filter(expects_localtime=True)
def minute(value: object) -> str:
    """2026-11-18 18:05, as `date:"Y-m-d H:i"` writes it."""
    if not isinstance(value, dt.datetime):
        return ""
    return value.isoformat(sep=" ", timespec="minutes")[:16]


@register.filter(expects_localtime=True)
def iso(value: object) -> str:
    """ISO 8601 for a <time datetime> attribute, as `date:'c'` writes it."""
    return value.isoformat() if isinstance(value, dt.date) else ""


@register.filter(expects_localtime=True)
def when(value: object, unit: str = "minute") -> str:
    """`<time datetime="…">…</time>`: what `<time datetime="{{ v|iso }}">{{ v|minute }}</time>`
    writes (`|when:"day"`: with `|day` inside), the time put in the reader's zone
    once instead of twice; nothing for a value that is not a date."""
    if not isinstance(value, dt.date):
        return ""
    shown = day(value) if unit == "day" else minute(value)
    # Only digits, dashes, colons, a space, T, a dot and a sign: nothing to escape.
    return SafeString(f'<time datetime="{value.isoformat()}">{shown}</time>')


@register.simple_tag(takes_context=True)
def csrf_input(context: template.Context) -> SafeString:
    """The form field `{% csrf_token %}` writes, written once for a list whose
    rows each hold a form: `{% csrf_input as csrf_field %}` before the loop,
    `{{ csrf_field }}` in it (the tag resolves the lazy token and formats the
    field on every call)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return SafeString("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag
def row_urls(viewname: str, *args: object) -> RowUrls:
    """The URLs of a list's rows, reversed once: `{% row_urls 'planning:task'
    project.code as task_urls %}` before the loop, `{{ task_urls|row:task.key }}`
    in it (docs/architecture.md, Pages that stay fast)."""
    return RowUrls(viewname, *args)


@register.filter
def row(urls: RowUrls, value: object) -> str:
    return urls(value)


@register.filter
def zoned(value: object) -> str:
    """An aware time in the reader's zone with its offset: "2026-11-18 18:00 UTC+08:00".
    Use it wherever a time is a record (a signature, a decision), in pages,
    e-mails and PDFs, instead of the `T` date format."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%Y-%m-%d %H:%M} {utc_offset(local)}"


@register.filter
def query_except(query: QueryDict, name: str) -> str:
    """Every parameter of a query but `name`, each as `key=value&`: a link that
    keeps a list's filters and sets `name` itself (the pagination's page) writes
    `?{{ request.GET|query_except:'page' }}page=2`."""
    if not hasattr(query, "lists"):
        return ""
    return "".join(
        f"{key}={urlencode(value)}&"
        for key, values in query.lists()
        if key != name
        for value in values
    )


@register.filter
def action_item_colour(item: Any) -> str:
    """An action item's badge: done green, cancelled grey, open red when overdue, else amber."""
    if item.status == "done":
        return "green"
    if item.status == "cancelled":
        return "grey"
    return "red" if item.is_overdue else "amber"
