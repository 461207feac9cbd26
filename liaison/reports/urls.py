from django.urls import path

from liaison.reports import views

app_name = "reports"
R = "p/<str:code>/reports/"
urlpatterns = [
    path(R, views.report_list_view, name="list"),
    path(R + "new/", views.report_create, name="create"),
    path(R + "<int:number>/", views.report_detail, name="detail"),
    path(R + "<int:number>/edit/", views.report_edit, name="edit"),
    path(R + "<int:number>/publish/", views.report_publish, name="publish"),
    path(R + "<int:number>/delete/", views.report_delete, name="delete"),
    path(R + "<int:number>.pdf", views.report_pdf_view, name="pdf"),
    path(R + "<int:number>/comments/", views.report_comment, name="comment"),
]
