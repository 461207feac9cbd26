"""A person's page in the organization: their working week (org owners and
admins set it) and their time off (recorded by them or by an owner or admin).
The people view across projects, which reads the plan, is planning's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.projects import access
from liaison.projects.capacity_services import (
    capacity_set,
    time_off_add,
    time_off_delete,
    time_reminders_set,
)
from liaison.projects.forms import CapacityForm, TimeOffForm, TimeRemindersForm
from liaison.projects.selectors import current_organization, person_capacity


def _organization(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    assert organization is not None  # staff belong to one
    return organization


def _render(request, organization, person, *, capacity_form=None, time_off_form=None):
    data = person_capacity(organization=organization, person=person)
    if capacity_form is None:
        capacity_form = CapacityForm(
            initial={
                "hours_per_week": data.hours_per_week,
                "working_weekdays": list(data.working_weekdays),
                "version": data.version,
            }
        )
    return render(
        request,
        "projects/person.html",
        {
            "data": data,
            "person": person,
            "capacity_form": capacity_form,
            "time_off_form": time_off_form or TimeOffForm(),
            "can_edit_capacity": access.can_edit_capacity(request.user, organization),
            "can_record_time_off": access.can_record_time_off(
                request.user, organization, person.pk
            ),
        },
        status=400 if capacity_form.errors or (time_off_form and time_off_form.errors) else 200,
    )


@login_required
@require_GET
def person(request, user_id: int):
    organization = _organization(request)
    person = access.get_person_for(request.user, organization, user_id)
    return _render(request, organization, person)


def _back(person):
    return redirect(reverse("projects:person", args=[person.pk]))


@login_required
@require_POST
def person_capacity_edit(request, user_id: int):
    organization = _organization(request)
    person = access.get_person_for(request.user, organization, user_id)
    access.require_capacity_edit(request.user, organization)
    form = CapacityForm(request.POST)
    saved = submit(
        form,
        lambda data: capacity_set(
            organization=organization,
            person=person,
            by=request.user,
            version=data["version"],
            hours_per_week=data["hours_per_week"],
            working_weekdays="".join(data["working_weekdays"]),
        ),
    )
    if saved is None:
        return _render(request, organization, person, capacity_form=form)
    messages.success(request, _("%(name)s’s capacity is saved.") % {"name": person})
    return _back(person)


@login_required
@require_POST
def time_off_create(request, user_id: int):
    organization = _organization(request)
    person = access.get_person_for(request.user, organization, user_id)
    access.require_time_off_edit(request.user, organization, person.pk)
    form = TimeOffForm(request.POST)
    saved = submit(
        form,
        lambda data: time_off_add(
            organization=organization, person=person, by=request.user, **data
        ),
    )
    if saved is None:
        return _render(request, organization, person, time_off_form=form)
    messages.success(request, _("The time off is recorded."))
    return _back(person)


@login_required
@require_POST
def time_off_remove(request, time_off_id: int):
    organization = _organization(request)
    person = time_off_delete(organization=organization, time_off_id=time_off_id, by=request.user)
    messages.success(request, _("The time off is removed."))
    return _back(person)


@login_required
@require_http_methods(["GET", "POST"])
def time_reminders(request):
    """The organization's setting: remind people who logged less than their capacity."""
    organization = _organization(request)
    access.require_org_admin(request.user, organization)
    if request.method == "GET":
        initial = {"enabled": organization.time_reminders, "version": organization.version}
        form = TimeRemindersForm(initial=initial)
        return render(request, "projects/time_reminders.html", {"form": form})
    form = TimeRemindersForm(request.POST)
    saved = submit(
        form,
        lambda data: time_reminders_set(
            organization=organization,
            by=request.user,
            version=data["version"],
            enabled=data["enabled"],
        ),
    )
    if saved is None:
        return render(request, "projects/time_reminders.html", {"form": form}, status=400)
    messages.success(request, _("The reminder setting is saved."))
    return redirect("planning:people")
