"""The dashboard, the project list and a project's own pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.models import User
from liaison.accounts.selectors import (
    current_organization,
    first_run_pending,
    invitation_language,
)
from liaison.accounts.services import member_invite, membership_change_role, membership_remove
from liaison.changes.selectors import change_status_counts
from liaison.communication.selectors.action_items import my_action_items
from liaison.core.forms import CommentForm, add_service_error, post_comment
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.selectors import activity_for_project, comment_thread
from liaison.core.services import InvalidInput
from liaison.planning.selectors.summary import plan_summary
from liaison.projects import access, selectors, services
from liaison.projects.access import Action
from liaison.projects.forms import (
    MemberInviteForm,
    MemberRoleForm,
    ProjectCreateForm,
    ProjectEditForm,
)
from liaison.projects.models import Membership, Project
from liaison.reports.selectors import report_list


@require_GET
def dashboard(request):
    """The site's root. On a fresh instance (no organization: nobody is staff)
    everyone is sent to the first-run page; staff never pay for that check."""
    if not access.is_staff_user(request.user) and first_run_pending():
        return redirect("setup:first-run")
    return _dashboard(request)


@login_required
def _dashboard(request):
    if access.is_client_user(request.user):
        return redirect("portal:home")
    access.require_staff(request.user)
    return render(
        request,
        "projects/dashboard.html",
        {
            "my_projects": selectors.my_projects(user=request.user)[:50],
            "attention": selectors.needs_attention(user=request.user),
            "my_action_items": my_action_items(user=request.user),
        },
    )


@login_required
@require_GET
def project_list(request):
    access.require_staff(request.user)
    filters = selectors.ProjectFilters.from_query(request.GET)
    page = paginate(selectors.project_list(user=request.user, filters=filters), request)
    organization = current_organization(request)
    return render_page(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "filters": filters,
            "status_chips": selectors.project_status_chips(
                user=request.user, filters=filters, per_page=page.paginator.per_page
            ),
            "all_statuses_query": filters.query_with_status(None, page.paginator.per_page),
            "page_sizes": PAGE_SIZES,
            "choices": selectors.project_filter_choices(user=request.user),
            "can_create": organization is not None
            and access.can_create_project(request.user, organization),
        },
        partial="results",
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    if organization is None or not access.can_create_project(request.user, organization):
        raise PermissionDenied
    form = ProjectCreateForm(
        request.POST or None,
        organization=organization,
        user=request.user,
        initial={"manager": request.user, "status": Project.Status.PROPOSED, "currency": "CNY"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except InvalidInput as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Project %(code)s created.") % {"code": project.code})
            return redirect("projects:overview", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
@require_GET
def project_overview(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    return render(
        request,
        "projects/overview.html",
        {
            "project": project,
            "members": selectors.project_members(project=project),
            "activities": activity_for_project(project=project, audience=audience)[:10],
            "plan": plan_summary(project=project, audience=audience),
            "changes": change_status_counts(project=project, audience=audience),
            "latest_report": report_list(project=project, audience=audience).first(),
            "thread": comment_thread(
                target=project, audience=audience, latest=None if _all_comments(request) else 30
            ),
            "comment_form": CommentForm(),
            **access.permission_flags(request.user, project),
        },
    )


def _all_comments(request) -> bool:
    return request.GET.get("comments") == "all"


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    initial = {name: getattr(project, name) for name in services.EDITABLE_FIELDS}
    form = ProjectEditForm(
        request.POST or None,
        organization=project.organization,
        user=request.user,
        initial={**initial, "version": project.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, by=request.user, **form.cleaned_data)
        except (InvalidInput, StaleEdit) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:overview", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_archive(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    services.project_archive(project=project, by=request.user)
    messages.success(
        request,
        _("Project %(code)s archived. It is hidden from lists and the portal, and can be restored.")
        % {"code": project.code},
    )
    return redirect("projects:overview", code=project.code)


@login_required
@require_POST
def project_unarchive(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    services.project_unarchive(project=project, by=request.user)
    messages.success(request, _("Project %(code)s restored.") % {"code": project.code})
    return redirect("projects:overview", code=project.code)


def _automatic_language_label(project, user) -> str:
    """What the invitation form's "automatic" language means for this project."""
    names = dict(User.Language.choices)
    team = names[invitation_language(project=project, by=user, role=Membership.Role.MEMBER)]
    client = names[invitation_language(project=project, by=user, role=Membership.Role.CLIENT)]
    if team == client:
        return _("Automatic: %(language)s") % {"language": team}
    return _("Automatic: %(client)s for a client, %(team)s for the team") % {
        "client": client,
        "team": team,
    }


def _invite_form(request, project, data=None, confirm_for: str = "") -> MemberInviteForm:
    return MemberInviteForm(
        data,
        automatic_language=_automatic_language_label(project, request.user),
        confirm_for=confirm_for,
    )


def _invite(request, project) -> tuple[MemberInviteForm, Membership | None]:
    """Invite from the posted form. A team role that needs confirming comes
    back as the same form with the confirmation box for that address, unticked."""
    form = _invite_form(request, project, request.POST, request.POST.get("confirm", ""))
    if not form.is_valid():
        return form, None
    try:
        return form, member_invite(project=project, by=request.user, **form.cleaned_data)
    except InvalidInput as error:
        if error.code == "confirm_team_role":
            data = request.POST.copy()
            data.pop("confirm", None)
            form = _invite_form(request, project, data, confirm_for=form.cleaned_data["email"])
            form.is_valid()
        add_service_error(form, error)
        return form, None


@login_required
@require_http_methods(["GET", "POST"])
def project_members(request, code: str):
    project = access.get_project_for(request.user, code)
    permissions = access.permission_flags(request.user, project)
    status = 200
    if request.method == "POST":
        if not permissions["can_manage"]:
            raise PermissionDenied
        form, membership = _invite(request, project)
        if membership is not None:
            messages.success(
                request,
                _("%(email)s is invited as %(role)s.")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return redirect("projects:members", code=project.code)
        status = 400
    else:
        form = _invite_form(request, project)
    members = selectors.project_members(project=project)
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": members,
            "invite_form": form,
            "roles": Membership.Role.choices,
            **permissions,
        },
        status=status,
    )


@login_required
@require_POST
def member_role(request, code: str, membership_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    membership = selectors.membership_get(project=project, membership_id=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("projects:members", code=project.code)
    try:
        membership_change_role(membership=membership, by=request.user, **form.cleaned_data)
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Role changed."))
    return redirect("projects:members", code=project.code)


@login_required
@require_POST
def member_remove(request, code: str, membership_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    membership = selectors.membership_get(project=project, membership_id=membership_id)
    try:
        membership_remove(membership=membership, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is removed from the project.") % {"name": membership.user}
        )
    return redirect("projects:members", code=project.code)


@login_required
@require_GET
def project_activity(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    page = paginate(activity_for_project(project=project, audience=audience), request, 50)
    return render_page(
        request,
        "projects/activity.html",
        {
            "project": project,
            "page": page,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


@login_required
@require_POST
def project_comment(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.COMMENT)
    post_comment(
        request,
        target=project,
        project=project,
        url=reverse("projects:overview", args=[project.code]),
        portal_url=reverse("portal:project", args=[project.code]),
    )
    return redirect("projects:overview", code=project.code)
