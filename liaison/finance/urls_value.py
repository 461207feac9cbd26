"""The value pages of the finance app (finance/urls.py joins them)."""

from django.urls import URLPattern, path

from liaison.finance.views import value as views

urlpatterns: list[URLPattern] = [
    path("p/<str:code>/value/", views.value, name="value"),
]
