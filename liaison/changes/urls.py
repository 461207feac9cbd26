from django.urls import path

from liaison.changes import views

app_name = "changes"
C = "p/<str:code>/changes/"
urlpatterns = [
    path(C, views.change_list, name="list"),
    path(C + "new/", views.change_create, name="create"),
    path(C + "<str:key>/", views.change_detail, name="detail"),
    path(C + "<str:key>/edit/", views.change_edit, name="edit"),
    path(C + "<str:key>/assess/", views.change_assess, name="assess"),
    path(C + "<str:key>/impact/", views.change_impact, name="impact"),
    path(C + "<str:key>/transition/", views.change_transition, name="transition"),
    path(C + "<str:key>/comments/", views.change_comment, name="comment"),
]
