from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "liaison.requirements"
    label = "requirements"
