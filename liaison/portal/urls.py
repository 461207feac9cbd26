from django.urls import path

from liaison.portal import changes, communication, planning, reports, requirements, timeline, views

app_name = "portal"
P = "p/<str:code>/"
urlpatterns = [
    path("", views.home, name="home"),
    path(P, views.project, name="project"),
    path(P + "comments/", views.project_comment, name="comment"),
    path(P + "requirements/", requirements.requirement_list, name="requirements"),
    path(P + "requirements/request/", requirements.requirement_request, name="requirement-request"),
    path(P + "requirements/<str:key>/", requirements.requirement_detail, name="requirement"),
    path(
        P + "requirements/<str:key>/comments/",
        requirements.requirement_comment,
        name="requirement-comment",
    ),
    path(P + "baselines/<int:number>/", requirements.baseline_detail, name="baseline"),
    path(P + "baselines/<int:number>/sign/", requirements.baseline_sign, name="baseline-sign"),
    path(
        P + "baselines/<int:number>/reject/", requirements.baseline_reject, name="baseline-reject"
    ),
    path(P + "baselines/<int:number>.pdf", requirements.baseline_pdf, name="baseline-pdf"),
    path(P + "timeline/", timeline.timeline, name="timeline"),
    path(P + "milestones/<str:key>/", planning.milestone_detail, name="milestone"),
    path(P + "milestones/<str:key>/decide/", planning.milestone_decide, name="milestone-decide"),
    path(P + "milestones/<str:key>.pdf", planning.milestone_pdf, name="milestone-pdf"),
    path(P + "communication/", communication.interaction_list, name="interactions"),
    path(P + "communication/<str:key>/", communication.interaction_detail, name="interaction"),
    path(
        P + "communication/<str:key>/comments/",
        communication.interaction_comment,
        name="interaction-comment",
    ),
    path(
        P + "action-items/<str:key>/done/", communication.action_item_done, name="action-item-done"
    ),
    path(P + "changes/", changes.change_list, name="changes"),
    path(P + "changes/new/", changes.change_request, name="change-request"),
    path(P + "changes/<str:key>/", changes.change_detail, name="change"),
    path(P + "changes/<str:key>/decide/", changes.change_decide, name="change-decide"),
    path(P + "changes/<str:key>/withdraw/", changes.change_withdraw, name="change-withdraw"),
    path(P + "changes/<str:key>/comments/", changes.change_comment, name="change-comment"),
    path(P + "message/", communication.message_team, name="message"),
    path(
        P + "attachments/<int:attachment_id>/", communication.attachment_download, name="attachment"
    ),
    path(P + "reports/", reports.report_list_view, name="reports"),
    path(P + "reports/<int:number>/", reports.report_detail, name="report"),
    path(
        P + "reports/<int:number>/acknowledge/",
        reports.report_acknowledge,
        name="report-acknowledge",
    ),
    path(P + "reports/<int:number>.pdf", reports.report_pdf, name="report-pdf"),
    path(P + "reports/<int:number>/comments/", reports.report_comment, name="report-comment"),
]
