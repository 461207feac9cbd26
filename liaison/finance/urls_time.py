"""The time pages of the finance app (finance/urls.py joins them)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
