"""The notification inbox."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts import access
from liaison.core import services
from liaison.core.htmx import render_page
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.request_info import local_next
from liaison.core.selectors import notifications_for


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
