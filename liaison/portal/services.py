"""The portal's one write: the client's visit to a project's overview."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.portal.models import PortalVisit
from liaison.projects import access
from liaison.projects.models import Project

# Pages opened within this long of the last one belong to the same visit, so
# reloading the overview does not empty "what changed since your last visit".
VISIT_GAP = dt.timedelta(hours=1)


@transaction.atomic
def portal_visit_record(
    *, project: Project, by: User, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Note that `by` opened the project's overview; return when their visit
    before this one began (None on the first). Not an audited change: it is a
    fact about the reader, not the project."""
    access.require(by, access.Action.VIEW, project)
    now = now or timezone.now()
    visit, created = PortalVisit.objects.select_for_update().get_or_create(
        user=by, project=project, defaults={"seen_at": now}
    )
    if created:
        return None
    if now - visit.seen_at > VISIT_GAP:
        visit.previous_at = visit.seen_at
    visit.seen_at = now
    visit.save(update_fields=["seen_at", "previous_at"])
    return visit.previous_at
