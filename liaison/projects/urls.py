from django.urls import path

from liaison.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("p/<str:code>/", views.project_overview, name="overview"),
    path("p/<str:code>/edit/", views.project_edit, name="edit"),
    path("p/<str:code>/archive/", views.project_archive, name="archive"),
    path("p/<str:code>/restore/", views.project_unarchive, name="unarchive"),
    path("p/<str:code>/members/", views.project_members, name="members"),
    path("p/<str:code>/members/<int:membership_id>/role/", views.member_role, name="member-role"),
    path(
        "p/<str:code>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path("p/<str:code>/activity/", views.project_activity, name="activity"),
    path("p/<str:code>/comments/", views.project_comment, name="comment"),
]
