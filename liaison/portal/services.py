"""The portal's one write: the client's visit to a project's overview."""

import datetime as dt

from django.utils import timezone

from liaison.accounts.models import User
from liaison.portal.models import PortalVisit
from liaison.projects import access
from liaison.projects.models import Project

# Pages opened within this long of the last one belong to the same visit, so
# reloading the overview does not empty "what changed since your last visit".
VISIT_GAP = dt.timedelta(hours=1)


def portal_visit_record(
    *, project: Project, by: User, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Note that `by` opened the project's overview; return when their visit
    before this one began (None on the first). Two queries, first visit or
    not. Not an audited change: it is a fact about the reader, not the project."""
    access.require(by, access.Action.VIEW, project)
    now = now or timezone.now()
    visits = PortalVisit.objects.filter(user=by, project=project)
    last = visits.values_list("seen_at", "previous_at").order_by()[:1]
    if not last:
        # Two tabs opening at once: the second's row is the first's.
        PortalVisit.objects.bulk_create(
            [PortalVisit(user=by, project=project, seen_at=now)], ignore_conflicts=True
        )
        return None
    seen_at, previous_at = last[0]
    if now - seen_at > VISIT_GAP:
        previous_at = seen_at
    visits.update(seen_at=now, previous_at=previous_at)
    return previous_at
