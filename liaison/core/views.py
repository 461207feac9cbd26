"""The notification inbox, and the one-click unsubscribe link of e-mails."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core import services
from liaison.core.htmx import render_page
from liaison.core.notify import DIGEST, KINDS
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.request_info import local_next
from liaison.core.selectors import notifications_for, unsubscribe_user
from liaison.projects import access


@login_required
@require_GET
def notification_list(request):
    page = paginate(notifications_for(user=request.user), request, 30)
    template = "portal/notifications.html" if _is_portal(request) else "core/notifications.html"
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
    return redirect(local_next(request) or "core:notifications")


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
            "core/unsubscribe.html",
            {
                "done": done,
                "digest": kind == DIGEST,
                "kind_label": KINDS[kind].label if kind in KINDS else "",
                "person": user,
            },
        )
