from django.urls import path

from liaison.documents import deliverable_views, views

app_name = "documents"
P = "p/<str:code>/documents/"
D = P + "<str:key>/"
urlpatterns = [
    path(P, views.document_list, name="list"),
    path(P + "new/", views.document_create, name="create"),
    path(P + "folders/", views.folder_create, name="folder-create"),
    path(P + "folders/<int:folder_id>/", views.folder_edit, name="folder-edit"),
    path(P + "folders/<int:folder_id>/delete/", views.folder_delete, name="folder-delete"),
    path(
        P + "milestones/<str:key>/deliverables/",
        deliverable_views.milestone_deliver,
        name="milestone-deliver",
    ),
    path(
        P + "deliverables/<int:deliverable_id>/remove/",
        deliverable_views.deliverable_remove,
        name="deliverable-remove",
    ),
    path(D, views.document_detail, name="document"),
    path(D + "edit/", views.document_edit, name="edit"),
    path(D + "versions/", views.version_upload, name="upload"),
    path(D + "v<int:number>/", views.version_download, name="download"),
    path(D + "v<int:number>/share/", views.version_share, name="version-share"),
    path(D + "visibility/", views.document_visibility, name="visibility"),
    path(D + "delete/", views.document_delete, name="delete"),
    path(D + "deliver/", deliverable_views.document_deliver, name="deliver"),
    path(D + "reviews/", views.review_request, name="review-request"),
    path(P + "reviews/<int:review_id>/withdraw/", views.review_withdraw, name="review-withdraw"),
]
