"""The notification inbox, and the one-click unsubscribe link of e-mails."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.collab import services
from liaison.collab.models import NotificationPreference
from liaison.collab.notification_kinds import DIGEST, KINDS
from liaison.collab.notification_kinds import KINDS as NOTIFICATION_KINDS
from liaison.collab.notification_kinds import NATURES as NOTIFICATION_NATURES
from liaison.collab.notify import notification_channels
from liaison.collab.selectors import notification_inbox, unsubscribe_user
from liaison.core.htmx import render_page
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.projects import access

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@login_required
@require_GET
def notification_list(request):
    page = paginate(notification_inbox(user=request.user), request, 30)
    template = "portal/notifications.html" if _is_portal(request) else "collab/notifications.html"
    return render_page(request, template, {"page": page}, partial="results")


def _is_portal(request) -> bool:
    return access.is_client_user(request.user)


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (id=…) or all of them read, then follow its link."""
    named = request.POST.getlist("id")
    # Only a request that names no id at all means "all": a malformed id marks nothing.
    ids = [number for number in map(positive_int, named) if number] if named else None
    services.notifications_mark_read(by=request.user, ids=ids)
    return redirect(local_next(request) or "collab:notifications")


# The only view without CSRF protection: mail programs POST to the link of the
# List-Unsubscribe header (RFC 8058) with no session and no form token. The
# signed token in the address is the credential, and all a forged POST can do
# is turn someone's notification e-mail off (their inbox keeps everything).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token: str):
    """GET asks (a link scanner opening it changes nothing); POST turns the
    e-mail off, from the page's button or the mail program's one-click button.
    No sign-in: the page is in the language of the person the link is for."""
    found = unsubscribe_user(token=token)
    if found is None:
        raise Http404
    user, kind = found
    done = request.method == "POST"
    if done:
        services.notification_email_stop(by=user, kind=kind)
    with translation.override(user.language or None):
        return render(
            request,
            "collab/unsubscribe.html",
            {
                "done": done,
                "digest": kind == DIGEST,
                "kind_label": KINDS[kind].label if kind in KINDS else "",
                "person": user,
            },
        )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Per kind of event: e-mail and inbox, inbox only, or off; and the daily
    digest. For everyone who signs in, clients too. A kind the form leaves out
    keeps its setting."""
    user = request.user
    channels = notification_channels(user)
    daily_digest = user.daily_digest
    errors: dict[str, StrOrPromise] = {}
    if request.method == "POST":
        chosen = {
            kind: request.POST[f"channel-{kind}"]
            for kind in NOTIFICATION_KINDS
            if f"channel-{kind}" in request.POST
        }
        daily_digest = request.POST.get("daily_digest") in ("on", "true", "1")
        try:
            services.notification_preferences_update(
                by=user, channels=chosen, daily_digest=daily_digest
            )
        except InvalidInput as error:
            errors[error.field or ""] = error.message
            channels |= {kind: value for kind, value in chosen.items() if kind != error.field}
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("collab:notification-preferences")
    rows = [
        {
            "kind": kind,
            "label": spec.label,
            "help": spec.help,
            "nature": spec.nature,
            "default": spec.default,
            "channel": channels[kind],
            "error": errors.get(kind, ""),
        }
        for kind, spec in NOTIFICATION_KINDS.items()
    ]
    return render(
        request,
        "collab/notification_preferences.html",
        {
            "rows": rows,
            "options": NotificationPreference.Channel.choices,
            "natures": [
                {"nature": nature, "label": label, "help": help_text}
                for nature, (label, help_text) in NOTIFICATION_NATURES.items()
            ],
            "daily_digest": daily_digest,
            "digest_hour": settings.DIGEST_HOUR,
            "form_error": errors.get("", ""),
        },
    )
