from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "liaison.changes"
    label = "changes"
