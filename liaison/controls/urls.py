from django.urls import path

from liaison.controls.views import risks as risk_views

app_name = "controls"

# -- risks
R = "p/<str:code>/risks/"
risk_urls = [
    path(R, risk_views.risk_list, name="risks"),
    path(R + "new/", risk_views.risk_create, name="risk-create"),
    path(R + "<str:key>/", risk_views.risk_detail, name="risk"),
    path(R + "<str:key>/edit/", risk_views.risk_edit, name="risk-edit"),
    path(R + "<str:key>/transition/", risk_views.risk_transition, name="risk-transition"),
    path(R + "<str:key>/actions/", risk_views.risk_action, name="risk-action"),
    path(R + "<str:key>/comments/", risk_views.risk_comment, name="risk-comment"),
]

urlpatterns = [*risk_urls]
