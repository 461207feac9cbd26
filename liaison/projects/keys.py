"""Human keys per project (REQ-12, T-104) and numbers (baseline 3) from a
locked counter, never max()+1: the first two at once would otherwise collide."""

from django.db import transaction

from liaison.projects.models import KeyCounter


@transaction.atomic
def next_number(*, project, prefix: str) -> int:
    counter, _ = KeyCounter.objects.select_for_update().get_or_create(
        project=project, prefix=prefix
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def next_key(*, project, prefix: str) -> str:
    return f"{prefix}-{next_number(project=project, prefix=prefix)}"
