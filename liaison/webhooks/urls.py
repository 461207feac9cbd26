from django.urls import path

from liaison.webhooks import views

app_name = "webhooks"
W = "p/<str:code>/webhooks/"
urlpatterns = [
    path(W, views.webhook_list, name="list"),
    path(W + "<int:webhook_id>/", views.webhook_detail, name="detail"),
    path(W + "<int:webhook_id>/test/", views.webhook_test, name="test"),
    path(W + "<int:webhook_id>/delete/", views.webhook_delete, name="delete"),
]
