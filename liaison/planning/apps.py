from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "liaison.planning"
    label = "planning"
