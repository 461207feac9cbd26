"""The manager's inline edit of a member's weekly capacity."""

from django import forms
from django.utils.translation import gettext_lazy

from liaison.core.forms import VersionedForm
from liaison.projects.models import Membership


class CapacityForm(VersionedForm):
    capacity_hours = forms.IntegerField(
        label=gettext_lazy("Hours per week"),
        min_value=0,
        max_value=168,
        widget=forms.NumberInput(attrs={"min": 0, "max": 168, "step": 1}),
    )


def capacity_form(membership: Membership, data=None) -> CapacityForm:
    return CapacityForm(
        data,
        initial={"capacity_hours": membership.capacity_hours, "version": membership.version},
        auto_id=f"capacity-{membership.pk}-%s",
    )
