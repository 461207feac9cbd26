from django.urls import path

from liaison.controls.views import contingency as contingency_views
from liaison.controls.views import issues
from liaison.controls.views import risks as risk_views

app_name = "controls"

# -- Risks ----------------------------------------------------------------------------
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

P = "p/<str:code>/"

# -- Issues ---------------------------------------------------------------------------
ISSUES = P + "issues/"
issue_urls = [
    path(ISSUES, issues.issue_list, name="issues"),
    path(ISSUES + "new/", issues.issue_create, name="issue-create"),
    path(ISSUES + "escalation/", issues.escalation_settings, name="issue-escalation"),
    path(ISSUES + "<str:key>/", issues.issue_detail, name="issue"),
    path(ISSUES + "<str:key>/edit/", issues.issue_edit, name="issue-edit"),
    path(ISSUES + "<str:key>/transition/", issues.issue_transition, name="issue-transition"),
    path(ISSUES + "<str:key>/escalate/", issues.issue_escalate, name="issue-escalate"),
    path(ISSUES + "<str:key>/comments/", issues.issue_comment, name="issue-comment"),
    path(ISSUES + "<str:key>/attachments/", issues.issue_attach, name="issue-attach"),
]

# -- contingency plans
C = R + "<str:key>/plan/"
contingency_urls = [
    path(C, contingency_views.plan_detail, name="contingency"),
    path(C + "steps/new/", contingency_views.step_create, name="contingency-step-create"),
    path(C + "steps/<int:step>/", contingency_views.step_edit, name="contingency-step"),
    path(
        C + "steps/<int:step>/remove/",
        contingency_views.step_remove,
        name="contingency-step-remove",
    ),
    path(C + "steps/<int:step>/move/", contingency_views.step_move, name="contingency-step-move"),
    path(C + "activate/", contingency_views.activate, name="contingency-activate"),
]

urlpatterns = [*contingency_urls, *risk_urls, *issue_urls]
