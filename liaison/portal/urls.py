"""The portal's pages: its own (the client's projects, a project's page and its
comments) and, under `p/<str:code>/`, the pages of each tab the features
register (core.registry.PortalTab), all in the `portal` namespace."""

from django.urls import include, path

from liaison.core.registry import registry
from liaison.portal import views

app_name = "portal"
P = "p/<str:code>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("search/", views.search, name="search"),
    path(P, views.project, name="project"),
    path(P + "comments/", views.project_comment, name="comment"),
    *(path(P, include(list(tab.urls))) for tab in registry.portal_tabs if tab.urls),
]
