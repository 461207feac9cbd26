from django.urls import path

from liaison.controls.views import contingency as contingency_views
from liaison.controls.views import issues
from liaison.controls.views import quality as quality_views
from liaison.controls.views import risks as risk_views
from liaison.controls.views import uat as uat_views

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

# -- Quality ---------------------------------------------------------------------------
Q = P + "quality/"
UAT = Q + "uat/<str:key>/"
quality_urls = [
    path(Q, quality_views.quality_plan, name="quality"),
    path(Q + "standards/new/", quality_views.standard_create, name="quality-standard-create"),
    path(
        Q + "standards/<int:standard_id>/edit/",
        quality_views.standard_edit,
        name="quality-standard-edit",
    ),
    path(
        Q + "standards/<int:standard_id>/move/",
        quality_views.standard_move,
        name="quality-standard-move",
    ),
    path(
        Q + "standards/<int:standard_id>/delete/",
        quality_views.standard_delete,
        name="quality-standard-delete",
    ),
    path(Q + "checks/new/", quality_views.check_create, name="quality-check-create"),
    path(Q + "checks/<int:number>/", quality_views.check_detail, name="quality-check"),
    path(Q + "checks/<int:number>/edit/", quality_views.check_edit, name="quality-check-edit"),
    path(
        Q + "checks/<int:number>/findings/",
        quality_views.finding_add,
        name="quality-finding-add",
    ),
    path(
        Q + "findings/<int:finding_id>/issue/",
        quality_views.finding_issue,
        name="quality-finding-issue",
    ),
    path(Q + "uat/new/", uat_views.round_create, name="uat-round-create"),
    path(UAT, uat_views.round_detail, name="uat-round"),
    path(UAT + "cases/", uat_views.case_add, name="uat-case-add"),
    path(Q + "uat-cases/<int:case_id>/edit/", uat_views.case_edit, name="uat-case-edit"),
    path(Q + "uat-cases/<int:case_id>/remove/", uat_views.case_remove, name="uat-case-remove"),
    path(UAT + "open/", uat_views.round_open, name="uat-round-open"),
    path(UAT + "pdf/", uat_views.round_pdf, name="uat-round-pdf"),
]

urlpatterns = [*contingency_urls, *risk_urls, *issue_urls, *quality_urls]
