"""Sign-in, passwords, the user's settings and tokens, client companies."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts import access, organization_services, services
from liaison.accounts.forms import (
    ClientEditForm,
    ClientForm,
    FirstRunForm,
    LoginForm,
    QueuedPasswordResetForm,
    SettingsForm,
    TokenForm,
)
from liaison.accounts.models import ApiToken
from liaison.accounts.selectors import (
    api_tokens_of,
    client_list,
    current_organization,
    first_run_pending,
    setup_token_valid,
)
from liaison.core.forms import add_service_error
from liaison.core.locking import StaleEdit
from liaison.core.models import NotificationPreference
from liaison.core.notification_kinds import NATURES as NOTIFICATION_NATURES
from liaison.core.notify import KINDS as NOTIFICATION_KINDS
from liaison.core.notify import notification_channels
from liaison.core.params import positive_int
from liaison.core.request_info import client_ip
from liaison.core.services import InvalidInput


def home_for(user) -> str:
    """Where a user starts. The site's root sends a client user to the portal,
    and anyone but staff to the first-run page on a fresh instance."""
    if access.is_client_user(user) and not first_run_pending():
        return reverse("portal:home")
    return reverse("projects:dashboard")


def _authenticate(request, email: str, password: str):
    """Django's own authentication form does the checks (active user, password)."""
    form = AuthenticationForm(request, data={"username": email, "password": password})
    return form.get_user() if form.is_valid() else None


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip = client_ip(request)
        minutes = services.login_lockout_minutes(email=email, ip=ip)
        if minutes:
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            status = 429
        else:
            user = _authenticate(request, email, form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(email=email, ip=ip)
                form.add_error(None, _("The e-mail address or the password is not right."))
            else:
                services.login_failures_clear(email=email, ip=ip)
                login(request, user)
                target = request.POST.get("next") or request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = ""
                return redirect(target or home_for(user))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


def _revoke_tokens(request, user, reason: str) -> None:
    if services.api_tokens_revoke_all(by=user, reason=reason):
        messages.info(request, _("Your API tokens have been revoked; create new ones in Settings."))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, and a new password also ends the API tokens made under the old."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_tokens"] = api_tokens_of(user=self.request.user).exists()
        return context

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            _revoke_tokens(self.request, form.user, "password_changed")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and a new password also ends the API tokens made under the old."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            _revoke_tokens(self.request, self.user, "password_reset")
        return response


class InvitationAcceptView(PasswordResetConfirmView):
    """The invitation's link: the invited person chooses a password, is signed
    in, and lands where they belong: the project for the team, the portal for
    a client."""

    post_reset_login = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": True}

    def get_success_url(self) -> str:
        code = self.kwargs["code"]
        if not access.is_client_user(self.user) and (
            access.visible_projects(self.user).filter(code=code).exists()
        ):
            return reverse("projects:overview", kwargs={"code": code})
        return home_for(self.user)


password_change = login_required(PasswordChangeView.as_view())
password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html",
    )
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=QueuedPasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
)
password_reset_confirm = PasswordResetConfirmView.as_view()
invitation_accept = InvitationAcceptView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
)


def _settings_form(request, data=None) -> SettingsForm:
    user = request.user
    initial = {
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "version": user.version,
    }
    return SettingsForm(data, initial=initial)


def _render_settings(
    request,
    form,
    token_form=None,
    new_token: str = "",
    status: int = 200,
    calendar_feed_url: str = "",
):
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "token_form": token_form or TokenForm(),
            "tokens": api_tokens_of(user=request.user),
            "new_token": new_token,
            "has_calendar_feed": bool(request.user.calendar_digest),
            "calendar_feed_url": calendar_feed_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    form = _settings_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_settings_update(user=request.user, by=request.user, **form.cleaned_data)
        except (InvalidInput, StaleEdit) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:settings")
    return _render_settings(request, form)


@login_required
@require_POST
def token_create(request):
    """The secret is shown once, in this response, and stored nowhere in clear
    (not even in the session): only its SHA-256 is kept."""
    form = TokenForm(request.POST)
    settings_form = _settings_form(request)
    if not form.is_valid():
        return _render_settings(request, settings_form, token_form=form, status=400)
    try:
        _token, secret = services.api_token_create(by=request.user, **form.cleaned_data)
    except InvalidInput as error:
        add_service_error(form, error)
        return _render_settings(request, settings_form, token_form=form, status=400)
    return _render_settings(request, settings_form, new_token=secret)


@login_required
@require_POST
def calendar_feed_create(request):
    """Create the user's calendar feed link, or replace it (the old one stops
    working). Like a token, the link is shown once, in this response."""
    secret = services.calendar_feed_reset(by=request.user)
    url = settings.SITE_URL + reverse("planning:calendar-feed", args=[secret])
    return _render_settings(request, _settings_form(request), calendar_feed_url=url)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Per kind of event: e-mail and inbox, inbox only, or off; and the daily
    digest. For everyone who signs in, clients too. A kind the form leaves out
    keeps its setting."""
    user = request.user
    channels = notification_channels(user)
    daily_digest = user.daily_digest
    errors: dict[str, str] = {}
    if request.method == "POST":
        chosen = {
            kind: request.POST[f"channel-{kind}"]
            for kind in NOTIFICATION_KINDS
            if f"channel-{kind}" in request.POST
        }
        daily_digest = request.POST.get("daily_digest") in ("on", "true", "1")
        try:
            services.notification_preferences_update(
                by=user, channels=chosen, daily_digest=daily_digest
            )
        except InvalidInput as error:
            errors[error.field or ""] = error.message
            channels |= {kind: value for kind, value in chosen.items() if kind != error.field}
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("accounts:notification-preferences")
    rows = [
        {
            "kind": kind,
            "label": spec.label,
            "help": spec.help,
            "nature": spec.nature,
            "default": spec.default,
            "channel": channels[kind],
            "error": errors.get(kind, ""),
        }
        for kind, spec in NOTIFICATION_KINDS.items()
    ]
    return render(
        request,
        "accounts/notification_preferences.html",
        {
            "rows": rows,
            "options": NotificationPreference.Channel.choices,
            "natures": [
                {"nature": nature, "label": label, "help": help_text}
                for nature, (label, help_text) in NOTIFICATION_NATURES.items()
            ],
            "daily_digest": daily_digest,
            "digest_hour": settings.DIGEST_HOUR,
            "form_error": errors.get("", ""),
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:settings")


@require_POST
def language_switch(request):
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    try:
        if request.user.is_authenticated:
            services.user_language_set(by=request.user, language=language)
    except InvalidInput:
        return response
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@login_required
@require_POST
def organization_switch(request):
    access.require_staff(request.user)
    organization_id = positive_int(request.POST.get("organization"))
    if organization_id not in access.org_roles(request.user):
        raise Http404
    request.session["organization_id"] = organization_id
    return redirect("projects:dashboard")


# -- client companies ---------------------------------------------------------


def _organization_or_404(request):
    access.require_staff(request.user)
    organization = current_organization(request)
    if organization is None:
        raise Http404
    return organization


@login_required
@require_GET
def client_list_view(request):
    organization = _organization_or_404(request)
    return render(
        request,
        "accounts/client_list.html",
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
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except InvalidInput as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Client %(name)s added.") % {"name": client.name})
            return redirect("accounts:client-list")
    return render(request, "accounts/client_form.html", {"form": form, "client": None})


@login_required
@require_http_methods(["GET", "POST"])
def client_edit_view(request, client_id: int):
    organization = _organization_or_404(request)
    client = access.get_client_for(request.user, organization, client_id, edit=True)
    initial = {"name": client.name, "contacts": client.contacts, "version": client.version}
    form = ClientEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, by=request.user, **form.cleaned_data)
        except (InvalidInput, StaleEdit) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Client saved."))
            return redirect("accounts:client-list")
    return render(request, "accounts/client_form.html", {"form": form, "client": client})


# -- the first run ------------------------------------------------------------


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
        return render(request, "accounts/first_run_locked.html", {"token": token}, status=403)
    form = FirstRunForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _organization, owner = organization_services.organization_first_run(
                name=data["name"],
                owner_email=data["email"],
                owner_name=data["display_name"],
                password=data["password"],
                language=data["language"],
                by=request.user if request.user.is_authenticated else None,
            )
        except InvalidInput as error:
            add_service_error(form, error)
        else:
            login(request, owner)
            messages.success(
                request,
                _("Welcome to Liaison. Add your first client, then a project."),
            )
            return redirect("projects:dashboard")
    return render(request, "accounts/first_run.html", {"form": form, "token": token})
