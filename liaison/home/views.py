"""The team's home: the dashboard, a project's overview and activity, and the
calendar feed. A surface: it reads every feature, and nothing below imports it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.selectors import first_run_pending
from liaison.changes.selectors.change_requests import change_status_counts
from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for_project, comment_thread
from liaison.communication.selectors.action_items import my_action_items
from liaison.core.htmx import render_page
from liaison.core.pagination import paginate
from liaison.home import selectors as home_selectors
from liaison.planning.selectors.summary import plan_summary
from liaison.projects import access, selectors
from liaison.projects.access import Action
from liaison.reports.selectors import report_list


def home_for(user) -> str:
    """Where a user starts. The site's root sends a client user to the portal,
    and anyone but staff to the first-run page on a fresh instance."""
    if access.is_client_user(user) and not first_run_pending():
        return reverse("portal:home")
    return reverse("home:dashboard")


@require_GET
def dashboard(request):
    """The site's root. On a fresh instance (no organization: nobody is staff)
    everyone is sent to the first-run page; staff never pay for that check."""
    if not access.is_staff_user(request.user) and first_run_pending():
        return redirect("setup:first-run")
    return _dashboard(request)


@login_required
def _dashboard(request):
    if access.is_client_user(request.user):
        return redirect("portal:home")
    access.require_staff(request.user)
    return render(
        request,
        "home/dashboard.html",
        {
            "my_projects": home_selectors.my_projects(user=request.user)[:50],
            "attention": home_selectors.needs_attention(user=request.user),
            "my_action_items": my_action_items(user=request.user),
        },
    )


@login_required
@require_GET
def project_overview(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    return render(
        request,
        "home/overview.html",
        {
            "project": project,
            "members": selectors.project_members(project=project),
            "activities": activity_for_project(project=project, audience=audience)[:10],
            "plan": plan_summary(project=project, audience=audience),
            "changes": change_status_counts(project=project, audience=audience),
            "latest_report": report_list(project=project, audience=audience).first(),
            "thread": comment_thread(
                target=project, audience=audience, latest=None if _all_comments(request) else 30
            ),
            "comment_form": CommentForm(),
            **access.permission_flags(request.user, project),
        },
    )


def _all_comments(request) -> bool:
    return request.GET.get("comments") == "all"


@login_required
@require_GET
def project_activity(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    page = paginate(activity_for_project(project=project, audience=audience), request, 50)
    return render_page(
        request,
        "home/activity.html",
        {
            "project": project,
            "page": page,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


@login_required
@require_POST
def project_comment(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.COMMENT)
    post_comment(
        request,
        target=project,
        project=project,
        url=reverse("home:overview", args=[project.code]),
        portal_url=reverse("portal:project", args=[project.code]),
    )
    return redirect("home:overview", code=project.code)
