from django.urls import path

from liaison.home import feed_views, views

app_name = "home"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("p/<str:code>/", views.project_overview, name="overview"),
    path("p/<str:code>/activity/", views.project_activity, name="activity"),
    path("p/<str:code>/comments/", views.project_comment, name="comment"),
    # the calendar feed: anonymous, the secret in the link is the credential
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar-feed"),
]
