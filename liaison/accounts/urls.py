from django.urls import path

from liaison.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("password/done/", views.password_change_done, name="password-change-done"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password/reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.token_create, name="token-create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("settings/calendar/", views.calendar_feed_create, name="calendar-feed"),
    path("settings/sessions/end/", views.sessions_end_others, name="sessions-end-others"),
    path("language/", views.language_switch, name="language"),
]
