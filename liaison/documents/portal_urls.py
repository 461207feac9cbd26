"""The client's documents, mounted by the portal under `p/<str:code>/` in its
`portal` namespace (the tab is registered in apps.py)."""

from django.urls import path

from liaison.documents import portal_views as views

urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/upload/", views.document_upload, name="document-upload"),
    path("documents/<str:key>/", views.document_detail, name="document"),
    path("documents/<str:key>/v<int:number>/", views.version_download, name="document-download"),
    path("documents/reviews/<int:review_id>/", views.review_decide, name="document-review"),
]
