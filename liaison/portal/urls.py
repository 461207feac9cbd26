from django.urls import path

from liaison.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("p/<str:code>/", views.project, name="project"),
    path("p/<str:code>/comments/", views.project_comment, name="comment"),
]
