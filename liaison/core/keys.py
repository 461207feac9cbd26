"""Human keys per project (REQ-12, T-104) from a locked counter, never max()+1."""

from django.db import transaction

from liaison.core.models import KeyCounter


@transaction.atomic
def next_key(*, project, prefix: str) -> str:
    counter, _ = KeyCounter.objects.select_for_update().get_or_create(
        project=project, prefix=prefix
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{counter.last}"
