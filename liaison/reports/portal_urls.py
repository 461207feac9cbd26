"""The client's status reports, mounted by the portal under `p/<str:code>/` in
its `portal` namespace (the tab is registered in apps.py)."""

from django.urls import path

from liaison.reports import portal_views as views

urlpatterns = [
    path("reports/", views.report_list_view, name="reports"),
    path("reports/<int:number>/", views.report_detail, name="report"),
    path("reports/<int:number>/acknowledge/", views.report_acknowledge, name="report-acknowledge"),
    path("reports/<int:number>.pdf", views.report_pdf, name="report-pdf"),
    path("reports/<int:number>/comments/", views.report_comment, name="report-comment"),
]
