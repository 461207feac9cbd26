"""The client's requirement and baseline pages, mounted by the portal under
`p/<str:code>/` in its `portal` namespace (the tab is registered in apps.py)."""

from django.urls import path

from liaison.requirements import portal_views as views

urlpatterns = [
    path("requirements/", views.requirement_list, name="requirements"),
    path("requirements/request/", views.requirement_request, name="requirement-request"),
    path("requirements/<str:key>/", views.requirement_detail, name="requirement"),
    path("requirements/<str:key>/comments/", views.requirement_comment, name="requirement-comment"),
    path("baselines/<int:number>/", views.baseline_detail, name="baseline"),
    path("baselines/<int:number>/sign/", views.baseline_sign, name="baseline-sign"),
    path("baselines/<int:number>/reject/", views.baseline_reject, name="baseline-reject"),
    path("baselines/<int:number>.pdf", views.baseline_pdf, name="baseline-pdf"),
]
