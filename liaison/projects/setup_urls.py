"""The first-run page, at the site's root (`/setup/`) rather than under
/accounts/: it is the address `manage.py first_run_link` prints."""

from django.urls import path

from liaison.projects import views

app_name = "setup"
urlpatterns = [
    path("", views.first_run, name="first-run"),
]
