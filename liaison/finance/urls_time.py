"""The time pages of the finance app (finance/urls.py joins them)."""

from django.urls import path

from liaison.finance.views import time as views
from liaison.finance.views import timer as timer_views

urlpatterns = [
    path("p/<str:code>/time/", views.timesheet, name="timesheet"),
    path("p/<str:code>/time/submit/", views.timesheet_submit, name="timesheet-submit"),
    path("p/<str:code>/time/log/", views.time_log, name="time-log"),
    path("p/<str:code>/time/approvals/", views.time_approvals, name="time-approvals"),
    path(
        "p/<str:code>/time/approvals/<int:timesheet_id>/approve/",
        views.timesheet_approve,
        name="timesheet-approve",
    ),
    path(
        "p/<str:code>/time/approvals/<int:timesheet_id>/reject/",
        views.timesheet_reject,
        name="timesheet-reject",
    ),
    path("p/<str:code>/time/close/", views.period_close, name="time-close"),
    path("p/<str:code>/time/timer/", timer_views.timer, name="timer"),
    # One's timer, whichever project it runs in.
    path("time/timer/stop/", timer_views.timer_stop, name="timer-stop"),
    path("time/timer/discard/", timer_views.timer_discard, name="timer-discard"),
]
