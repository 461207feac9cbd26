from django.urls import include, path

from liaison.api import api

# A database that refuses connections answers 503, not 500 (core.errors).
handler500 = "liaison.core.errors.server_error"

urlpatterns = [
    path("", include("liaison.home.urls")),
    path("", include("liaison.projects.urls")),
    path("", include("liaison.requirements.urls")),
    path("", include("liaison.planning.urls")),
    path("", include("liaison.communication.urls")),
    path("", include("liaison.changes.urls")),
    path("", include("liaison.controls.urls")),
    path("", include("liaison.finance.urls")),
    path("", include("liaison.glossary.urls")),
    path("", include("liaison.documents.urls")),
    path("", include("liaison.reports.urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("setup/", include("liaison.projects.setup_urls")),
    path("portal/", include("liaison.portal.urls")),
    path("", include("liaison.collab.urls")),
    path("", include("liaison.webhooks.urls")),
    path("api/v1/", api.urls),
]
