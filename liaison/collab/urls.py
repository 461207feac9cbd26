from django.urls import path

from liaison.collab import views

app_name = "collab"
urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications-read"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notifications-unsubscribe",
    ),
    path(
        "accounts/settings/notifications/",
        views.notification_preferences,
        name="notification-preferences",
    ),
]
