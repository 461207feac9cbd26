"""The client's conversations, action items, message to the team and files,
mounted by the portal under `p/<str:code>/` in its `portal` namespace (the tab
is registered in apps.py)."""

from django.urls import path

from liaison.communication import portal_views as views

urlpatterns = [
    path("communication/", views.interaction_list, name="interactions"),
    path("communication/<str:key>/", views.interaction_detail, name="interaction"),
    path(
        "communication/<str:key>/comments/", views.interaction_comment, name="interaction-comment"
    ),
    path("action-items/<str:key>/done/", views.action_item_done, name="action-item-done"),
    path("message/", views.message_team, name="message"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
