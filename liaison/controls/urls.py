from django.urls import path

from liaison.controls.views import issues

app_name = "controls"
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

urlpatterns: list = [*issue_urls]
