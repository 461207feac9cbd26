"""The client's change pages, mounted by the portal under `p/<str:code>/` in its
`portal` namespace (the tab is registered in apps.py)."""

from django.urls import path

from liaison.changes import portal_views as views

urlpatterns = [
    path("changes/", views.change_list, name="changes"),
    path("changes/new/", views.change_request, name="change-request"),
    path("changes/<str:key>/", views.change_detail, name="change"),
    path("changes/<str:key>/decide/", views.change_decide, name="change-decide"),
    path("changes/<str:key>/withdraw/", views.change_withdraw, name="change-withdraw"),
    path("changes/<str:key>/comments/", views.change_comment, name="change-comment"),
]
