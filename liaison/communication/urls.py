from django.urls import path

from liaison.communication.views import action_items, attachments, interactions, plan

app_name = "communication"
P = "p/<str:code>/"
C = P + "communication/"
A = P + "action-items/"
urlpatterns = [
    # the communication plan (before <key>: "plan" is not an interaction)
    path(C + "plan/", plan.plan, name="plan"),
    path(C + "plan/new/", plan.plan_item_create, name="plan-item-create"),
    path(C + "plan/<int:item_id>/edit/", plan.plan_item_edit, name="plan-item-edit"),
    # the communication log
    path(C, interactions.interaction_list, name="interactions"),
    path(C + "new/", interactions.interaction_create, name="interaction-create"),
    path(C + "<str:key>/", interactions.interaction_detail, name="interaction"),
    path(C + "<str:key>/edit/", interactions.interaction_edit, name="interaction-edit"),
    path(C + "<str:key>/send/", interactions.interaction_send, name="interaction-send"),
    path(C + "<str:key>/comments/", interactions.interaction_comment, name="interaction-comment"),
    path(C + "<str:key>/attachments/", attachments.attachment_upload, name="attachment-upload"),
    path(
        P + "attachments/<int:attachment_id>/", attachments.attachment_download, name="attachment"
    ),
    # action items
    path(A, action_items.action_item_list, name="action-items"),
    path(A + "new/", action_items.action_item_create, name="action-item-create"),
    path(A + "<str:key>/edit/", action_items.action_item_edit, name="action-item-edit"),
    path(A + "<str:key>/status/", action_items.action_item_status, name="action-item-status"),
]
