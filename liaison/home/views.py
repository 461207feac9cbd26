"""The team's home: the dashboard, a project's overview and activity, and the
calendar feed. A surface: the features plug into it through the registry
(core.registry), it imports none of them, and nothing below imports it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.selectors import first_run_pending
from liaison.collab.forms import CommentForm, post_comment
from liaison.collab.selectors import activity_for_project, comment_thread
from liaison.core.htmx import render_page
from liaison.core.pagination import paginate
from liaison.core.registry import registry
from liaison.home import selectors as home_selectors
from liaison.projects import access, selectors
from liaison.projects.access import Action
from liaison.projects.search_selectors import search_of_request


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
            # The features' cards (communication's "my action items"), in order.
            "dashboard_cards": [
                {"template": card.template, "context": card.context(request)}
                for card in registry.dashboard_cards
            ],
        },
    )


@login_required
@require_GET
def project_overview(request, code: str):
    project = access.get_project_for(request.user, code)
    audience = access.audience_of(request.user, project)
    flags = access.permission_flags(request.user, project)
    # The header counts the people, the team's card lists them: one query.
    members = selectors.project_member_rows(project=project)
    cards = [
        (
            card.column,
            {
                "template": card.template,
                "context": {
                    "project": project,
                    "members": members,
                    **flags,
                    **card.context(request, project, audience),
                },
            },
        )
        for card in registry.overview_cards
    ]
    return render(
        request,
        "home/overview.html",
        {
            "project": project,
            "members": members,
            "main_cards": [card for column, card in cards if column == "main"],
            "side_cards": [card for column, card in cards if column == "side"],
            **flags,
        },
    )


def overview_comments(request, project, audience) -> dict:
    """The latest comments (all of them on `?comments=all`) and the form."""
    latest = None if request.GET.get("comments") == "all" else 30
    return {
        "thread": comment_thread(target=project, audience=audience, latest=latest),
        "comment_form": CommentForm(),
    }


def overview_activity(request, project, audience) -> dict:
    return {"activities": activity_for_project(project=project, audience=audience)[:10]}


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


@login_required
@require_GET
def search(request):
    """Search across everything the person sees, as the team (the portal has
    its own page for clients)."""
    access.require_staff(request.user)
    results = search_of_request(request.user, request.GET)
    return render_page(request, "home/search.html", {"results": results}, partial="results")
