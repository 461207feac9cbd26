"""The client's timeline and milestone pages, mounted by the portal under
`p/<str:code>/` in its `portal` namespace (the tab is registered in apps.py)."""

from django.urls import path

from liaison.planning import portal_views as views

urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("milestones/<str:key>/", views.milestone_detail, name="milestone"),
    path("milestones/<str:key>/decide/", views.milestone_decide, name="milestone-decide"),
    path("milestones/<str:key>.pdf", views.milestone_pdf, name="milestone-pdf"),
]
