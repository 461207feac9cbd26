"""The dashboard, the project list and a project's own pages."""

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts import organization_services
from liaison.accounts import views as accounts_views
from liaison.accounts.forms import (
    ClientEditForm,
    ClientForm,
    FirstRunForm,
)
from liaison.accounts.models import User
from liaison.accounts.selectors import first_run_pending, setup_token_valid
from liaison.core.forms import add_service_error, submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import PAGE_SIZES, paginate
from liaison.core.params import positive_int
from liaison.core.registry import registry
from liaison.core.request_info import local_next
from liaison.core.services import InvalidInput
from liaison.projects import access, selectors, services
from liaison.projects.access import Action
from liaison.projects.forms import (
    MemberInviteForm,
    MemberRoleForm,
    ProjectCreateForm,
    ProjectEditForm,
)
from liaison.projects.member_services import (
    client_contact_deactivate,
    member_invite,
    membership_change_role,
    membership_remove,
)
from liaison.projects.models import Membership, Project
from liaison.projects.selectors import client_list, current_organization, invitation_language


@login_required
@require_GET
def project_list(request):
    access.require_staff(request.user)
    filters = selectors.ProjectFilters.from_query(request.GET)
    page = paginate(selectors.project_table(user=request.user, filters=filters), request)
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
            "status_labels": dict(Project.Status.choices),
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
    if request.method == "POST":
        project = submit(
            form,
            lambda data: services.project_create(
                organization=organization, by=request.user, **data
            ),
        )
        if project is not None:
            messages.success(request, _("Project %(code)s created.") % {"code": project.code})
            return redirect("home:overview", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


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
    if request.method == "POST":
        saved = submit(
            form, lambda data: services.project_update(project=project, by=request.user, **data)
        )
        if saved is not None:
            messages.success(request, _("Project saved."))
            return redirect("home:overview", code=project.code)
    context = {"form": form, "project": project, **access.permission_flags(request.user, project)}
    return render(request, "projects/project_form.html", context)


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
    return redirect("home:overview", code=project.code)


@login_required
@require_POST
def project_unarchive(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    services.project_unarchive(project=project, by=request.user)
    messages.success(request, _("Project %(code)s restored.") % {"code": project.code})
    return redirect("home:overview", code=project.code)


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


# A blank invitation form reads the same on every members page in one language
# with one "automatic" language: its widgets, the slowest part of the page, are
# rendered once (the fields in the page's language, the label its key).
@lru_cache(maxsize=64)
def _blank_invite_form(language: str | None, automatic_language: str) -> str:
    form = MemberInviteForm(automatic_language=automatic_language)
    return render_to_string("core/_form.html", {"form": form})


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
    blank_form = ""
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
        automatic = _automatic_language_label(project, request.user)
        form = MemberInviteForm(automatic_language=automatic)
        if permissions["can_manage"]:
            blank_form = _blank_invite_form(get_language(), automatic)
    members = selectors.project_member_rows(project=project)
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": members,
            "invite_form": form,
            "blank_invite_form": blank_form,
            # Each row's role menu: the labels translated once, not per row.
            "roles": tuple((value, str(label)) for value, label in Membership.Role.choices),
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


class InvitationAcceptView(accounts_views.PasswordResetConfirmView):
    """The invitation's link: the invited person chooses a password, is signed
    in, and lands where they belong: the project for the team, the portal for
    a client."""

    post_reset_login = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": True}

    def get_success_url(self) -> str:
        code = self.kwargs["code"]
        user = self.user
        assert user is not None  # asked only once the link's password is saved
        if not access.is_client_user(user) and (
            access.visible_projects(user).filter(code=code).exists()
        ):
            return reverse("home:overview", kwargs={"code": code})
        return registry.start_page(user)


invitation_accept = InvitationAcceptView.as_view()


@login_required
@require_POST
def organization_switch(request):
    access.require_staff(request.user)
    organization_id = positive_int(request.POST.get("organization"))
    if organization_id not in access.org_roles(request.user):
        raise Http404
    request.session["organization_id"] = organization_id
    return redirect("home:dashboard")


def _organization_or_404(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    if organization is None:
        raise Http404
    return organization


UNDELIVERED_SHOWN = 200


@login_required
@require_GET
def undelivered_mail_list(request):
    """The organization's mail that did not go out (its owners and admins)."""
    organization = _organization_or_404(request)
    access.require_org_admin(request.user, organization)
    mails = selectors.undelivered_mail(organization=organization)
    return render(
        request,
        "projects/undelivered_mail.html",
        {"mails": mails[:UNDELIVERED_SHOWN], "count": mails.count(), "shown": UNDELIVERED_SHOWN},
    )


@login_required
@require_POST
def undelivered_mail_send_again(request, mail_id: int):
    organization = _organization_or_404(request)
    # Another organization's mail is 404 to all; the own one 403 to staff.
    mail = selectors.undelivered_mail_get(organization=organization, mail_id=mail_id)
    access.require_org_admin(request.user, organization)
    try:
        services.undelivered_mail_send_again(mail=mail, organization=organization, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The mail to %(to)s is being sent again.") % {"to": ", ".join(mail.to)}
        )
    return redirect("projects:undelivered-mail")


@login_required
@require_GET
def client_list_view(request):
    organization = _organization_or_404(request)
    return render(
        request,
        "projects/client_list.html",
        {
            "clients": client_list(user=request.user, organization=organization),
            "can_edit": access.can_manage_clients(request.user, organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_create_view(request):
    organization = _organization_or_404(request)
    if not access.can_manage_clients(request.user, organization):
        raise PermissionDenied
    form = ClientForm(request.POST or None)
    if request.method == "POST":
        client = submit(
            form,
            lambda data: services.client_create(organization=organization, by=request.user, **data),
        )
        if client is not None:
            messages.success(request, _("Client %(name)s added.") % {"name": client.name})
            return redirect("projects:client-list")
    return render(request, "projects/client_form.html", {"form": form, "client": None})


@login_required
@require_http_methods(["GET", "POST"])
def client_edit_view(request, client_id: int):
    organization = _organization_or_404(request)
    client = access.get_client_for(request.user, organization, client_id, edit=True)
    initial = {"name": client.name, "contacts": client.contacts, "version": client.version}
    form = ClientEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            form, lambda data: services.client_update(client=client, by=request.user, **data)
        )
        if saved is not None:
            messages.success(request, _("Client saved."))
            return redirect("projects:client-list")
    return render(
        request,
        "projects/client_form.html",
        {"form": form, "client": client, "contacts": selectors.client_contacts(client=client)},
    )


@login_required
@require_POST
def client_contact_deactivate_view(request, user_id: int):
    """Take one contact of a client company out at once; the others keep access.
    Back to the page it was asked from (the client's), else the client list."""
    organization = _organization_or_404(request)
    # 404 for anyone who is no contact of the organization's clients; then the
    # service's rule: the org owners' and admins' (403 to the other staff).
    contact = selectors.organization_contact_get(organization=organization, user_id=user_id)
    try:
        client_contact_deactivate(contact=contact, organization=organization, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s can no longer sign in; their sessions and tokens are ended.")
            % {"name": contact},
        )
    return redirect(local_next(request) or "projects:client-list")


@require_http_methods(["GET", "POST"])
def first_run(request):
    """A fresh instance's only page: create the organization and its owner.
    Gone (404) once an organization exists. Without a setup link it opens only
    from the server itself or for a signed-in superuser (access.py)."""
    if not first_run_pending():
        raise Http404
    token = request.POST.get("token") or request.GET.get("token", "")
    if not access.may_set_up_instance(
        request.user,
        token_valid=setup_token_valid(token),
        direct_loopback=access.is_direct_loopback(request),
    ):
        return render(request, "projects/first_run_locked.html", {"token": token}, status=403)
    form = FirstRunForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        created = submit(
            form,
            lambda data: organization_services.organization_first_run(
                name=data["name"],
                owner_email=data["email"],
                owner_name=data["display_name"],
                password=data["password"],
                language=data["language"],
                by=request.user if request.user.is_authenticated else None,
            ),
        )
        if created is not None:
            _organization, owner = created
            login(request, owner)
            messages.success(
                request,
                _("Welcome to Liaison. Add your first client, then a project."),
            )
            return redirect("home:dashboard")
    return render(request, "projects/first_run.html", {"form": form, "token": token})
