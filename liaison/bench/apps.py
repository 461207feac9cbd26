from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "liaison.bench"
    label = "bench"
