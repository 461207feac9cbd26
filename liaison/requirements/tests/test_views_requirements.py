import pytest

from liaison.collab.models import Comment
from liaison.core.models import Activity
from liaison.requirements.models import Requirement
from liaison.requirements.services import (
    requirement_create,
    requirement_transition,
    requirement_update,
)
from liaison.requirements.tests.factories import make_requirement

LIST = "/p/OWN/requirements/"
DETAIL = "/p/OWN/requirements/REQ-1/"


def _text(response) -> str:
    return response.content.decode()


def _form(**overrides) -> dict:
    data = {
        "kind": "functional",
        "title": "Scan parcel labels",
        "body": "The courier scans **every** parcel.",
        "acceptance_criteria": "Reads a label in 1 s\nWorks offline",
        "source": "workshop",
        "source_ref": "Kick-off workshop, 3 March",
        "priority": "must",
        "value": "5",
        "feasibility": "4",
        "cost": "2",
        "parent": "",
        "owner": "",
        "client_visible": "on",
        "tags": "Mobile, scanning",
    }
    return {**data, **overrides}


def _edit_form(requirement: Requirement, **overrides) -> dict:
    return _form(version=requirement.version, **overrides)


def _score_form(requirement: Requirement, **overrides) -> dict:
    data = {"priority": "must", "value": 5, "feasibility": 4, "cost": 2}
    return {**data, "version": requirement.version, **overrides}


HTMX = {"HX-Request": "true"}


# -- the team's work -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "member"])
def test_team_creates_a_requirement(login, project, member, role, request):
    user = request.getfixturevalue(role)
    client = login(user)
    assert client.get("/p/OWN/requirements/new/").status_code == 200
    response = client.post("/p/OWN/requirements/new/", _form(owner=member.pk))
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    created = Requirement.objects.get(project=project, key="REQ-1")
    assert (created.title, created.owner, created.score) == ("Scan parcel labels", member, 49)
    assert created.acceptance_criteria == ["Reads a label in 1 s", "Works offline"]
    assert created.tag_list == ["mobile", "scanning"]
    text = _text(client.get(response["Location"]))
    assert "REQ-1 created." in text
    assert "<strong>every</strong>" in text  # the body is rendered markdown
    assert "Works offline" in text


def test_an_empty_title_shows_the_error_beside_the_field_and_saves_nothing(login, manager, project):
    response = login(manager).post("/p/OWN/requirements/new/", _form(title="  "))
    assert response.status_code == 200
    text = _text(response)
    assert 'class="field__error" id="id_title_error">A requirement needs a title.' in text
    assert "Works offline" in text  # every other field stays as typed
    assert not Requirement.objects.exists()


def test_an_owner_outside_the_team_is_refused_beside_the_field(login, manager, project, outsider):
    response = login(manager).post("/p/OWN/requirements/new/", _form(owner=outsider.pk))
    assert response.status_code == 200
    assert 'id="id_owner_error"' in _text(response)
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("role", ["manager", "member"])
def test_team_edits_a_requirement(login, project, manager, role, request):
    requirement = make_requirement(project, by=manager)
    client = login(request.getfixturevalue(role))
    page = _text(client.get(DETAIL + "edit/"))
    assert 'name="version" value="1"' in page
    assert 'value="Scan labels"' in page
    response = client.post(DETAIL + "edit/", _edit_form(requirement, title="Print labels"))
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    requirement.refresh_from_db()
    assert (requirement.title, requirement.version) == ("Print labels", 2)


def test_a_stale_edit_shows_what_the_other_person_changed(login, manager, member, project):
    requirement = make_requirement(project, by=manager)
    requirement_update(requirement=requirement, by=member, version=1, title="Member's title")
    response = login(manager).post(DETAIL + "edit/", _edit_form(requirement, title="Mine"))
    assert response.status_code == 200
    text = _text(response)
    assert "Someone else saved this while you were editing" in text
    assert "member set title to “Member&#x27;s title”" in text
    # The form moved onto the current version and keeps what the manager typed.
    assert 'name="version" value="2"' in text
    assert 'value="Mine"' in text
    requirement.refresh_from_db()
    assert (requirement.title, requirement.version) == ("Member's title", 2)


@pytest.mark.parametrize("role", ["manager", "member"])
def test_team_moves_a_requirement_on(login, project, manager, role, request):
    make_requirement(project, by=manager)
    client = login(request.getfixturevalue(role))
    response = client.post(DETAIL + "status/", {"status": "in_review"})
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    assert Requirement.objects.get().status == "in_review"
    assert "REQ-1 is now In review." in _text(client.get(DETAIL))


def test_a_forbidden_transition_shows_the_clear_message(login, manager, project):
    make_requirement(project, by=manager)
    client = login(manager)
    response = client.post(DETAIL + "status/", {"status": "verified"})
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    text = _text(client.get(DETAIL))
    assert "A requirement that is Draft cannot become Verified." in text
    assert "It can become: In review, Rejected, Deferred." in text
    assert Requirement.objects.get().status == "draft"


def test_the_detail_page_offers_only_the_allowed_next_statuses(login, manager, project):
    requirement = make_requirement(project, by=manager)
    requirement_transition(requirement=requirement, by=manager, status="in_review")
    text = _text(login(manager).get(DETAIL))
    for allowed in ("confirmed", "draft", "rejected", "deferred"):
        assert f'name="status" value="{allowed}"' in text
    assert 'name="status" value="verified"' not in text
    assert "badge--amber" in text  # in review


@pytest.mark.parametrize("role", ["manager", "member"])
def test_prioritisation_inline_update_returns_the_row_with_the_new_score(
    login, project, manager, role, request
):
    requirement = make_requirement(project, by=manager, priority="could")
    make_requirement(project, by=manager, priority="should")
    assert requirement.score == 19  # could, 3, 3, 3: behind the "should" one
    response = login(request.getfixturevalue(role)).post(
        DETAIL + "score/", _score_form(requirement), headers=HTMX
    )
    assert response.status_code == 200
    text = _text(response)
    assert text.lstrip().startswith(f'<tr id="score-{requirement.pk}"')
    assert "<html" not in text
    assert "<strong>49</strong>" in text
    assert '<td class="num">1</td>' in text  # it now ranks first
    assert 'name="version" value="2"' in text
    requirement.refresh_from_db()
    assert (requirement.priority, requirement.value, requirement.score) == ("must", 5, 49)


def test_prioritisation_stale_update_answers_the_row_with_the_reason(login, manager, project):
    requirement = make_requirement(project, by=manager)
    requirement_update(requirement=requirement, by=manager, version=1, cost=1)
    response = login(manager).post(DETAIL + "score/", _score_form(requirement), headers=HTMX)
    assert response.status_code == 200
    text = _text(response)
    assert 'role="alert">Someone else saved this while you were editing' in text
    assert 'name="version" value="2"' in text  # the next change starts from the current row
    requirement.refresh_from_db()
    assert (requirement.priority, requirement.version) == ("should", 2)


def test_prioritisation_refuses_a_score_out_of_range_in_the_row(login, manager, project):
    requirement = make_requirement(project, by=manager)
    response = login(manager).post(
        DETAIL + "score/", _score_form(requirement, value=9), headers=HTMX
    )
    assert response.status_code == 200
    assert "Choose a MoSCoW priority and scores from 1 to 5." in _text(response)
    assert Requirement.objects.get().version == 1


def test_prioritisation_works_without_javascript(login, manager, project):
    requirement = make_requirement(project, by=manager)
    response = login(manager).post(DETAIL + "score/", _score_form(requirement))
    assert response.status_code == 200
    text = _text(response)
    assert "<html" in text
    assert "REQ-1 saved." in text
    assert "<strong>49</strong>" in text


def test_the_prioritisation_view_ranks_and_shows_the_formula(login, manager, observer, project):
    make_requirement(project, by=manager, title="Low", priority="could")
    make_requirement(project, by=manager, title="High", priority="must")
    rejected = make_requirement(project, by=manager, title="Dropped")
    requirement_transition(requirement=rejected, by=manager, status="rejected")
    text = _text(login(manager).get("/p/OWN/requirements/priorities/"))
    assert "Score = 10 × MoSCoW weight" in text
    assert text.index("High") < text.index("Low")
    assert "Dropped" not in text
    assert 'name="priority"' in text
    # Observers read the same ranking without the controls.
    text = _text(login(observer).get("/p/OWN/requirements/priorities/"))
    assert text.index("High") < text.index("Low")
    assert 'name="priority"' not in text and "hx-post" not in text


# -- comments --------------------------------------------------------------------------


def test_team_comments_internally_or_for_the_client(login, manager, member, project):
    requirement = make_requirement(project, by=manager)
    client = login(member)
    response = client.post(DETAIL + "comments/", {"body": "Internal **note**"})
    assert response.status_code == 302
    assert response["Location"] == DETAIL + "#comments"
    client.post(DETAIL + "comments/", {"body": "For the client", "client_visible": "on"})
    comments = Comment.objects.filter(target_id=requirement.pk).order_by("id")
    assert [(c.body, c.client_visible) for c in comments] == [
        ("Internal **note**", False),
        ("For the client", True),
    ]
    text = _text(client.get(DETAIL))
    assert "Internal <strong>note</strong>" in text
    assert "Client sees this" in text
    assert Activity.objects.filter(verb="commented", target_id=requirement.pk).count() == 2


def test_an_empty_comment_is_refused(login, manager, project):
    make_requirement(project, by=manager)
    client = login(manager)
    client.post(DETAIL + "comments/", {"body": " "})
    assert "Write something before posting." in _text(client.get(DETAIL))
    assert not Comment.objects.exists()


def test_the_detail_page_shows_the_requirements_own_activity(login, manager, project):
    requirement = make_requirement(project, by=manager, body="One")
    other = make_requirement(project, by=manager, title="Another one")
    requirement_update(requirement=requirement, by=manager, version=1, title="Print labels")
    requirement_update(requirement=other, by=manager, version=1, title="Not this one")
    text = _text(login(manager).get(DETAIL))
    assert "Print labels" in text
    assert "Not this one" not in text


# -- revisions -------------------------------------------------------------------------


def test_revisions_diff_shows_the_changed_field(login, manager, member, project):
    requirement = make_requirement(project, by=manager, body="First line\nSecond line")
    requirement_update(
        requirement=requirement,
        by=member,
        version=1,
        title="Print labels",
        body="First line\nChanged line",
    )
    client = login(manager)
    text = _text(client.get(DETAIL + "revisions/"))  # the two latest by default
    assert "Revision 1 → revision 2" in text
    assert '<td class="diff__old">Scan labels</td><td class="diff__new">Print labels</td>' in text
    assert '<div class="diff__old">-Second line</div>' in text
    assert '<div class="diff__new">+Changed line</div>' in text
    assert ">member<" in text  # who made revision 2
    text = _text(client.get(DETAIL + "revisions/?a=2&b=2"))
    assert "Choose two different revisions" in text
    assert client.get(DETAIL + "revisions/?a=1&b=9").status_code == 404


def test_a_requirement_with_one_revision_compares_it_with_itself(login, manager, project):
    make_requirement(project, by=manager)
    response = login(manager).get(DETAIL + "revisions/")
    assert response.status_code == 200
    assert "Revision 1 → revision 1" in _text(response)


# -- the list --------------------------------------------------------------------------


@pytest.fixture
def listed(project, manager):
    make_requirement(project, by=manager, title="Scan labels", tags="mobile")
    make_requirement(
        project, by=manager, title="Audit trail", kind="non_functional", priority="must"
    )
    reviewed = make_requirement(project, by=manager, title="Export to Excel", client_visible=False)
    requirement_transition(requirement=reviewed, by=manager, status="in_review")


def test_the_list_filters_and_counts_by_status(login, manager, listed):
    client = login(manager)
    text = _text(client.get(LIST))
    assert "3 requirements" in text
    assert all(title in text for title in ("Scan labels", "Audit trail", "Export to Excel"))
    assert 'Draft <span class="chip__count">2</span>' in text
    assert 'In review <span class="chip__count">1</span>' in text
    text = _text(client.get(LIST + "?status=in_review"))
    assert "Export to Excel" in text and "Scan labels" not in text
    assert "Internal" in text  # not visible to the client
    text = _text(client.get(LIST + "?kind=non_functional"))
    assert "Audit trail" in text and "Scan labels" not in text
    text = _text(client.get(LIST + "?tag=Mobile"))
    assert "Scan labels" in text and "Audit trail" not in text
    text = _text(client.get(LIST + "?q=req-2"))
    assert "Audit trail" in text and "Scan labels" not in text
    assert "No requirement matches these filters" in _text(client.get(LIST + "?q=zzz"))


def test_the_list_sorts_and_paginates(login, manager, project, listed):
    client = login(manager)
    text = _text(client.get(LIST + "?sort=rank"))
    assert text.index("Audit trail") < text.index("Scan labels")
    for index in range(30):
        make_requirement(project, by=manager, title=f"Bulk {index}")
    text = _text(client.get(LIST + "?per_page=25"))
    assert "Page 1 of 2" in text
    assert "33 requirements" in text
    text = _text(client.get(LIST + "?per_page=50"))
    assert "Page 1 of" not in text


def test_the_list_htmx_request_gets_the_partial(login, manager, listed):
    response = login(manager).get(LIST + "?kind=non_functional", headers=HTMX)
    assert response.status_code == 200
    text = _text(response)
    assert 'id="results"' in text
    assert "<html" not in text
    assert "Audit trail" in text and "Scan labels" not in text
    assert 'hx-swap-oob="innerHTML:#requirement-count">1 requirement<' in text


def test_the_list_links_to_the_requirement_pages(login, manager, observer, listed):
    text = _text(login(manager).get(LIST))
    for url in (
        "/p/OWN/requirements/priorities/",
        "/p/OWN/requirements/export.xlsx",
        "/p/OWN/requirements/export.csv",
        "/p/OWN/requirements/import/",
        "/p/OWN/baselines/",
        "/p/OWN/requirements/new/",
    ):
        assert f'href="{url}' in text, url
    assert f'<a href="{LIST}" aria-current="page">Requirements</a>' in text  # the sidebar
    text = _text(login(observer).get(LIST))
    assert 'href="/p/OWN/requirements/new/' not in text
    assert 'href="/p/OWN/requirements/import/' not in text


def test_an_empty_list_says_what_to_do(login, manager, project):
    assert "No requirements yet" in _text(login(manager).get(LIST))


# -- who may -------------------------------------------------------------------------------

READS = [LIST, "/p/OWN/requirements/priorities/", DETAIL, DETAIL + "revisions/"]
FORMS = ["/p/OWN/requirements/new/", DETAIL + "edit/"]


def _writes(requirement: Requirement) -> list[tuple[str, dict]]:
    return [
        ("/p/OWN/requirements/new/", _form()),
        (DETAIL + "edit/", _edit_form(requirement, title="Changed")),
        (DETAIL + "status/", {"status": "in_review"}),
        (DETAIL + "score/", _score_form(requirement)),
        (DETAIL + "comments/", {"body": "Hello"}),
    ]


def test_observer_reads_but_gets_403_on_every_write(login, manager, observer, project):
    requirement = make_requirement(project, by=manager)
    client = login(observer)
    for url in READS:
        assert client.get(url).status_code == 200, url
    assert "Move it on" not in _text(client.get(DETAIL))
    for url in FORMS:
        assert client.get(url).status_code == 403, url
    for url, data in _writes(requirement):
        assert client.post(url, data).status_code == 403, url
    requirement.refresh_from_db()
    assert (requirement.version, Requirement.objects.count()) == (1, 1)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_client_and_outsider_get_404_everywhere(login, manager, project, role, request):
    requirement = make_requirement(project, by=manager)
    client = login(request.getfixturevalue(role))
    for url in [*READS, *FORMS]:
        assert client.get(url).status_code == 404, url
    for url, data in _writes(requirement):
        assert client.post(url, data).status_code == 404, url
    requirement.refresh_from_db()
    assert requirement.version == 1
    assert not Comment.objects.exists()


def test_a_requirement_of_another_project_is_404(login, manager, project, foreign_project):
    make_requirement(foreign_project, by=foreign_project.manager, title="Theirs")
    assert login(manager).get(DETAIL).status_code == 404
    assert login(foreign_project.manager).get("/p/FOREIGN/requirements/REQ-1/").status_code == 200


def test_a_status_picked_on_a_stale_page_is_refused(login, manager, member, project):
    requirement = requirement_create(project=project, by=manager, title="Scan labels")
    stale_version = requirement.version
    requirement_update(requirement=requirement, by=manager, version=stale_version, title="Renamed")
    client = login(member)
    url = "/p/OWN/requirements/REQ-1/status/"
    response = client.post(url, {"status": "in_review", "version": stale_version}, follow=True)
    assert "Someone else saved this while you were editing" in response.content.decode()
    assert Requirement.objects.get(pk=requirement.pk).status == Requirement.Status.DRAFT
