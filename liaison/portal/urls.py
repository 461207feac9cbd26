from django.urls import path

from liaison.portal import communication, planning, requirements, timeline, views

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
    path(P + "message/", communication.message_team, name="message"),
    path(
        P + "attachments/<int:attachment_id>/", communication.attachment_download, name="attachment"
    ),
]
