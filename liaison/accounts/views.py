"""Sign-in, passwords, the user's settings and tokens, client companies."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from liaison.accounts import services
from liaison.accounts.forms import (
    LoginForm,
    QueuedPasswordResetForm,
    SettingsForm,
    TokenForm,
)
from liaison.accounts.models import ApiToken, User
from liaison.accounts.selectors import api_tokens_of, sessions_of
from liaison.core.forms import submit
from liaison.core.registry import registry
from liaison.core.request_info import client_ip, local_next
from liaison.core.services import InvalidInput


def _authenticate(request, email: str, password: str):
    """Django's own authentication form does the checks (active user, password)."""
    form = AuthenticationForm(request, data={"username": email, "password": password})
    return form.get_user() if form.is_valid() else None


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(registry.start_page(request.user))
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
                _note_session(request, user)
                return redirect(local_next(request) or registry.start_page(user))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def _note_session(request, user) -> None:
    services.session_record(
        by=user,
        session_key=request.session.session_key or "",
        user_agent=request.headers.get("User-Agent", ""),
        ip=client_ip(request),
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated and request.session.session_key:
        services.session_forget(by=request.user, session_key=request.session.session_key)
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
        user = self.request.user
        assert isinstance(user, User)  # login_required: somebody signed in
        context["has_tokens"] = api_tokens_of(user=user).exists()
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
            "sessions": sessions_of(user=request.user),
            "this_session": request.session.session_key,
            "calendar_feed_url": calendar_feed_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    form = _settings_form(request, request.POST or None)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.user_settings_update(user=request.user, by=request.user, **data),
        )
        if saved is not None:
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
    created = submit(form, lambda data: services.api_token_create(by=request.user, **data))
    if created is None:
        return _render_settings(request, settings_form, token_form=form, status=400)
    _token, secret = created
    return _render_settings(request, settings_form, new_token=secret)


@login_required
@require_POST
def calendar_feed_create(request):
    """Create the user's calendar feed link, or replace it (the old one stops
    working). Like a token, the link is shown once, in this response."""
    secret = services.calendar_feed_reset(by=request.user)
    url = settings.SITE_URL + reverse("home:calendar-feed", args=[secret])
    return _render_settings(request, _settings_form(request), calendar_feed_url=url)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:settings")


@login_required
@require_POST
def sessions_end_others(request):
    """Sign out everywhere else: every other session of the person ends now."""
    ended = services.sessions_end_others(by=request.user, keep=request.session.session_key or "")
    messages.success(
        request,
        ngettext(
            "You are signed out of %(count)d other session.",
            "You are signed out of %(count)d other sessions.",
            ended,
        )
        % {"count": ended},
    )
    return redirect(reverse("accounts:settings") + "#sessions")


@require_POST
def language_switch(request):
    language = request.POST.get("language", "")
    # A path on this site or the home page: redirect() would take any other
    # word for a URL name and fail to find it.
    response = redirect(local_next(request) or "/")
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


# -- client companies ---------------------------------------------------------


# -- the first run ------------------------------------------------------------
