"""Search across everything: the index kept by the services, the query's
matching, ranking and access rule (core/search.py, core/search_query.py,
projects/search_selectors.py). Runs on SQLite (FTS5 trigram) and on
PostgreSQL (pg_trgm) alike: the same answers are expected of both."""

import pytest
from django.db import connection

from liaison.changes.tests.factories import make_change
from liaison.collab.services import comment_create
from liaison.core import search
from liaison.core.models import SearchEntry
from liaison.planning.services.tasks import task_delete, task_transition, task_update
from liaison.planning.tests.factories import make_milestone, make_task
from liaison.projects.models import Project
from liaison.projects.search_selectors import search_for
from liaison.projects.tests.factories import make_project
from liaison.requirements.services import requirement_update
from liaison.requirements.tests.factories import make_requirement


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


@pytest.fixture
def warehouse(project):
    """Rows of the OWN project in English and Chinese."""
    return {
        "scan": make_requirement(project, title="Scan pallet labels", body="At the dock door."),
        "cjk": make_requirement(
            project, title="仓库管理系统上线", body="覆盖三个仓库的收货与拣货。"
        ),
        "task": make_task(project, title="Write the put-away rules", description="Pallet zones"),
    }


def test_services_keep_the_index(project, manager):
    requirement = make_requirement(project, title="Scan pallet labels")
    entry = SearchEntry.objects.get(kind="requirement", object_id=requirement.pk)
    assert (entry.key, entry.title, entry.url) == (
        requirement.key,
        "Scan pallet labels",
        f"/p/OWN/requirements/{requirement.key}/",
    )
    requirement_update(
        requirement=requirement, by=manager, version=requirement.version, title="Print pick lists"
    )
    entry.refresh_from_db()
    assert entry.title == "Print pick lists"
    task = make_task(project, title="Temporary")
    assert SearchEntry.objects.filter(kind="task", object_id=task.pk).exists()
    task_delete(task=task, by=manager)
    assert not SearchEntry.objects.filter(kind="task", object_id=task.pk).exists()


def test_a_board_move_rewrites_no_entry(project, manager):
    task = make_task(project, title="Move me")
    SearchEntry.objects.filter(kind="task", object_id=task.pk).update(title="as it was")
    task_transition(task=task, by=manager, status="in_progress")
    assert SearchEntry.objects.get(kind="task", object_id=task.pk).title == "as it was"
    task_update(task=task, by=manager, version=task.version + 1, title="Renamed")
    assert SearchEntry.objects.get(kind="task", object_id=task.pk).title == "Renamed"


def test_words_in_any_order_and_case(manager, warehouse):
    assert keys(search_for(manager, query="PALLET scan")) == [warehouse["scan"].key]
    assert keys(search_for(manager, query="pallet")) == [warehouse["scan"].key, "T-1"]


def test_chinese_is_found_by_any_part_without_spaces(manager, warehouse):
    cjk = warehouse["cjk"].key
    assert keys(search_for(manager, query="仓库管理")) == [cjk]  # the trigram table
    assert keys(search_for(manager, query="库管")) == [cjk]  # two characters: LIKE
    assert keys(search_for(manager, query="拣货")) == [cjk]  # in the body
    assert keys(search_for(manager, query="库存管理")) == []


def test_the_exact_key_comes_first(project, manager):
    for n in range(11):
        make_requirement(project, title=f"Mentions REQ-1 in passing {n}")
    results = search_for(manager, query="req-1")
    assert results.hits[0].key == "REQ-1"
    assert results.hits[0].title == "Mentions <mark>REQ-1</mark> in passing 0"


def test_title_matches_before_body_matches(project, manager):
    body = make_requirement(project, title="Dock door", body="Scanners at the dock")
    title = make_requirement(project, title="Scanners", body="Handheld")
    make_requirement(project, title="Unrelated")
    # The body match is newer, yet the title match ranks first.
    requirement_update(requirement=body, by=manager, version=body.version, body="Scanners here")
    assert keys(search_for(manager, query="scanners")) == [title.key, body.key]


def test_postgresql_ranks_whole_words_before_parts_of_words(project, manager):
    words = make_requirement(project, title="Dock", body="A pallet label at the dock door")
    parts = make_requirement(project, title="Yard", body="Pallets relabelled at the gate")
    # The part-word match is newer: SQLite ranks it first by recency, PostgreSQL
    # ranks the whole words first (ts_rank over the trigger's tsvector).
    requirement_update(requirement=parts, by=manager, version=parts.version, body=parts.body + ".")
    found = keys(search_for(manager, query="pallet label"))
    if connection.vendor == "postgresql":
        assert found == [words.key, parts.key]
        assert SearchEntry.objects.get(key=words.key).search_vector  # kept by the trigger
    else:
        assert found == [parts.key, words.key]


def test_snippet_and_title_are_escaped_and_marked(project, manager):
    make_requirement(project, title="<b>Scan</b> & go", body="x " * 200 + "then <i>scan</i> it")
    hit = search_for(manager, query="scan").hits[0]
    assert hit.title == "&lt;b&gt;<mark>Scan</mark>&lt;/b&gt; &amp; go"
    assert "then &lt;i&gt;<mark>scan</mark>&lt;/i&gt; it" in hit.snippet
    assert hit.snippet.startswith("…")


def test_like_wildcards_are_plain_characters(project, manager):
    make_requirement(project, title="Fifty percent")
    make_requirement(project, title="Up 5% on last year")
    assert keys(search_for(manager, query="%")) == ["REQ-2"]
    assert keys(search_for(manager, query="_")) == []


def test_filters_by_kind_and_project(org, project, manager, warehouse):
    other = make_project(org, manager, "TWO", status=Project.Status.ACTIVE)
    make_requirement(other, title="Pallet racking")
    assert len(search_for(manager, query="pallet").hits) == 3
    assert keys(search_for(manager, query="pallet", kind="task")) == ["T-1"]
    found = search_for(manager, query="pallet", project="TWO")
    assert [(hit.project_code, hit.key) for hit in found.hits] == [("TWO", "REQ-1")]
    # What they may not choose filters nothing out.
    assert len(search_for(manager, query="pallet", kind="nope", project="FOREIGN").hits) == 3


def test_another_projects_rows_are_never_found(manager, outsider, foreign_project, warehouse):
    make_requirement(foreign_project, title="Zebra printers elsewhere")
    assert search_for(manager, query="zebra").hits == []
    assert search_for(manager, query="ZEBRA-PRINT").hits == []
    # Staff of the organization with no role in the project see none of it.
    assert search_for(outsider, query="pallet").hits == []


def test_a_client_finds_only_what_the_portal_shows(project, manager, client_user):
    shown = make_requirement(project, title="Barcode scanners", client_visible=True)
    make_requirement(project, title="Barcode vendor margin", client_visible=False)
    make_task(project, title="Barcode firmware", client_visible=False)
    make_milestone(project, name="Barcode pilot")
    found = search_for(client_user, query="barcode")
    assert [(hit.kind, hit.url) for hit in found.hits] == [
        ("milestone", "/portal/p/OWN/milestones/M-1/"),
        ("requirement", f"/portal/p/OWN/requirements/{shown.key}/"),
    ]
    assert len(search_for(manager, query="barcode").hits) == 4


def test_a_comment_leads_to_its_subject(project, manager, client_user):
    requirement = make_requirement(project, title="Labels", client_visible=True)
    task = make_task(project, title="Internal work")
    for target, visible in ((requirement, True), (task, True), (requirement, False)):
        comment_create(
            target=target,
            project=project,
            by=manager,
            body=f"Kangaroo note {visible}",
            client_visible=visible,
        )
    team = search_for(manager, query="kangaroo", kind="comment")
    assert sorted(hit.url for hit in team.hits) == sorted(
        [f"/p/OWN/requirements/{requirement.key}/"] * 2 + ["/p/OWN/tasks/T-1/"]
    )
    client = search_for(client_user, query="kangaroo")
    assert [hit.url for hit in client.hits] == [f"/portal/p/OWN/requirements/{requirement.key}/"]


def test_rebuild_writes_what_the_services_wrote(project, manager, warehouse):
    make_change(project, manager, title="Add a night shift")
    make_milestone(project, name="Go-live")
    cjk = warehouse["cjk"]
    comment_create(target=cjk, project=project, by=manager, body="好", client_visible=True)
    columns = ("kind", "object_id", "key", "title", "body", "client_visible", "url", "portal_url")
    written = sorted(SearchEntry.objects.values_list(*columns))
    assert search.rebuild([project]) == len(written) == 6
    assert sorted(SearchEntry.objects.values_list(*columns)) == written
    # The requirement and the comment on it, which reads as its subject.
    found = search_for(manager, query="仓库管理").hits
    assert sorted((hit.kind, hit.key) for hit in found) == [
        ("comment", warehouse["cjk"].key),
        ("requirement", warehouse["cjk"].key),
    ]


@pytest.mark.parametrize("rows", [1, 30])
def test_queries_stay_few_whatever_the_data(
    project, manager, client_user, rows, django_assert_max_num_queries
):
    for n in range(rows):
        make_requirement(project, title=f"Forklift {n}", client_visible=True)
    for user in (manager, client_user):
        with django_assert_max_num_queries(3):
            assert len(search_for(user, query="forklift").hits) == rows


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"a" OR "b"',
        "NEAR(x y)",
        "a* b^ -c",
        "(((",
        "%_\\",
        "🙂🙂🙂",
        "x" * 300,
        "a " * 50,
    ],
)
def test_odd_queries_find_plainly(project, manager, query):
    """What people type is text, never the engine's query syntax: a title
    holding every word typed is found, whatever the characters."""
    make_requirement(project, title=f"Plain {query[:100]}")
    make_requirement(project, title="Other")
    assert keys(search_for(manager, query=query)) == ["REQ-1"]


def test_a_comment_goes_with_its_subject(project, manager, client_user):
    requirement = make_requirement(project, title="Labels", client_visible=True)
    task = make_task(project, title="Internal work")
    for target, visible in ((requirement, True), (task, False)):
        comment_create(
            target=target, project=project, by=manager, body="Wombat", client_visible=visible
        )
    assert len(search_for(client_user, query="wombat").hits) == 1
    assert len(search_for(manager, query="wombat").hits) == 2
    requirement_update(
        requirement=requirement, by=manager, version=requirement.version, client_visible=False
    )
    assert search_for(client_user, query="wombat").hits == []
    task_delete(task=task, by=manager)
    found = search_for(manager, query="wombat")
    assert [hit.url for hit in found.hits] == [f"/p/OWN/requirements/{requirement.key}/"]
