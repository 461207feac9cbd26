"""The client's controls pages, mounted by the portal under `p/<str:code>/` in its
`portal` namespace (the tabs are registered in apps.py)."""

from django.urls import path

from liaison.controls import portal_views_risks

# -- risks
risk_urls = [
    path("risks/", portal_views_risks.risk_list, name="risks"),
    path("risks/<str:key>/", portal_views_risks.risk_detail, name="risk"),
]

urlpatterns = [*risk_urls]
