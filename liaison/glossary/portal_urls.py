"""The client's glossary page, mounted by the portal under `p/<str:code>/`."""

from django.urls import path

from liaison.glossary import portal_views

urlpatterns = [path("glossary/", portal_views.glossary, name="glossary")]
