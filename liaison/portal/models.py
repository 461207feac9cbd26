"""The client's visits to a project's portal pages: what changed since the last one."""

from django.conf import settings
from django.db import models


class PortalVisit(models.Model):
    """When a client contact last opened a project's overview. `previous_at`
    is the start of the visit before this one: the overview lists what changed
    since then, and keeps listing it while the client reads (VISIT_GAP)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    previous_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="unique_portal_visit")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.project_id} at {self.seen_at:%Y-%m-%d %H:%M}"
