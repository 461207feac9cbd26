"""The team's glossary pages: the list (searched as people type), and a term's
form to add, edit or remove it (managers and members; observers read)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.glossary import selectors, services
from liaison.glossary.forms import TermEditForm, TermForm
from liaison.glossary.models import Term
from liaison.projects import access
from liaison.projects.access import TEAM, Action


def _to_list(code: str):
    return redirect(reverse("glossary:terms", args=[code]))


@login_required
@require_GET
def term_list(request, code: str):
    project = access.get_project_for(request.user, code)
    q = request.GET.get("q", "")
    page = paginate(selectors.term_list(project=project, audience=TEAM, q=q), request)
    return render_page(
        request,
        "glossary/term_list.html",
        {
            "project": project,
            "page": page,
            "q": q,
            **access.permission_flags(request.user, project),
        },
        partial="results",
    )


def _form_page(request, project, form, term=None):
    return render_page(
        request,
        "glossary/term_form.html",
        {
            "project": project,
            "form": form,
            "term": term,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    form = TermForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = submit(
            form, lambda data: services.term_create(project=project, by=request.user, **data)
        )
        if saved is not None:
            messages.success(request, _("“%(term)s” is in the glossary.") % {"term": saved})
            return _to_list(code)
    return _form_page(request, project, form)


def _initial(term: Term) -> dict:
    return {name: getattr(term, name) for name in (*services.FIELDS, "version")}


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, code: str, term_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    term = selectors.term_get(project=project, audience=TEAM, pk=term_id)
    if request.method == "POST":
        form = TermEditForm(request.POST)
        saved = submit(form, lambda data: services.term_update(entry=term, by=request.user, **data))
        if saved is not None:
            return _to_list(code)
    else:
        form = TermEditForm(initial=_initial(term))
    return _form_page(request, project, form, term)


@login_required
@require_POST
def term_delete(request, code: str, term_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    term = selectors.term_get(project=project, audience=TEAM, pk=term_id)
    try:
        services.term_delete(
            entry=term, by=request.user, version=positive_int(request.POST.get("version")) or 0
        )
    except (InvalidInput, StaleEdit) as refused:
        messages.error(request, str(refused.message))
        return redirect(reverse("glossary:term-edit", args=[code, term_id]))
    messages.success(request, _("“%(term)s” is no longer in the glossary.") % {"term": term})
    return _to_list(code)
