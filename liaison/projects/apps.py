from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "liaison.projects"
    label = "projects"
