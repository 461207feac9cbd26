"""The form fuzz (issue 13): hypothesis drives every form of every page, found
from the URL conf, not listed by hand. Zero server errors; input that is
refused is answered with a message beside the field (what that means, and the
rest of what an answer must be: form_fuzz.py beside this module).

The pages: every GET row of the access matrix (each app's
tests/access_rows.py, which every URL of the URL conf must have) but the files
(PDFs, exports), with the row's kwargs against the team's own project,
rendered as the first of manager, client, owner and anonymous who may see it.
So that the forms only some states show are found (submit a milestone,
withdraw a change, restore a project), a page that names a row (`<key>`,
`<number>`) is rendered for its siblings too (M-1…M-4), a project's own pages
for an archived project too, and the links people get by e-mail (a password
reset, an invitation) are made for real. The world is the access matrix's
(`make_world`) with a little more (`_more_world`), built once for the module;
each example runs in a savepoint that is rolled back, so every example meets
the same world.

Each distinct form (where it posts, how, what it sends: `Form.key`; an
element's own hx-post, a preview, counts as one) is fuzzed EXAMPLES times as
the role that saw it, with the CSRF token it holds (the test client enforces
CSRF) or, for HTMX, the one HTMX sends from `<body hx-headers>` with
HX-Request. A redirect is followed, so a page that cannot show what a form
saved fails too. Host names are never looked up (`no_lookups`): nothing leaves
the machine, whatever a webhook's address says.

`make test` runs EXAMPLES per form, derandomized; `make fuzz` sets
LIAISON_FUZZ_EXAMPLES to many more with a random seed."""

import datetime as dt
import os
import re
import socket
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, Phase, example, given, settings

from conftest import NOW, TODAY
from liaison.tests.access_matrix import (
    NO_PROJECT,
    OWN,
    Row,
    World,
    all_rows,
    build_world,
    page_names,
    resolve,
)
from liaison.tests.form_fuzz import (
    REDIRECTS,
    Answer,
    Form,
    Submission,
    Upload,
    as_rendered,
    extremes,
    forms_in,
    local,
    problems,
    submissions,
)

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = os.environ.get("LIAISON_FUZZ_EXAMPLES")
EXAMPLES = int(FUZZ_EXAMPLES or 6)  # generated, after the two written ones (`fuzz`)
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    database=None,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    print_blob=False,
)
ROLES = ("manager", "client", "owner", "anonymous")  # who renders a page: the first who may
SIBLINGS = 4  # M-1…M-4, reports 1…4: the rows of a kind a page is rendered for
NOT_WRITES = ("django_session", "liaison_cache")  # a session or cache entry saves no input
FILE = re.compile(r"\.(\w+|<[^>]+>)$")  # a route to a file: …/gantt.svg, …/export.<str:fmt>

# The POSTs of the URL conf that no page shows a form for, and why. A new one
# fails test_every_post_has_its_form_fuzzed until it is found or listed here.
NO_FORM = {"setup:first-run": "only before the first organization exists"}


# -- the world -------------------------------------------------------------------------


def _signed(name: str, user, **kwargs) -> str:
    from django.contrib.auth.tokens import default_token_generator

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse(name, kwargs={**kwargs, "uidb64": uid, "token": token})


# The e-mailed links whose pages the access rows render only with a bad token.
SIGNED_LINKS = {
    "accounts:password-reset-confirm": lambda w: _signed(
        "accounts:password-reset-confirm", w.users["member"]
    ),
    "projects:invitation-accept": lambda w: _signed(
        "projects:invitation-accept", w.of["fuzz"]["invited"], code=w.projects[OWN].code
    ),
}


def _more_world(world: World) -> None:
    """What the access rows' world lacks for some forms to show: an invited
    person who has not chosen a password, a second organization for the owner
    (the switch in the top bar), a notification for the manager to mark read,
    a change the client asked for (they may withdraw it), an archived
    project (it may be restored) and the manager's running timer (its stop
    and discard buttons show only to whoever runs it)."""
    from liaison.accounts.models import OrgMembership
    from liaison.changes.services.change_requests import change_request_from_client
    from liaison.collab.notify import notify
    from liaison.finance.models import Timer
    from liaison.projects.services import project_archive
    from liaison.projects.tests.factories import make_member, make_project

    project, manager = world.projects[OWN], world.users["manager"]
    invited = make_member(project, "invited@test.example", org=world.orgs[OWN])
    invited.set_unusable_password()
    invited.save(update_fields=["password"])
    OrgMembership.objects.create(organization=world.orgs["FOREIGN"], user=world.users["owner"])
    notify(
        event="comment",
        recipients=[manager],
        actor=world.users["member"],
        message="%(actor)s commented",
        params={"actor": "member"},
        project=project,
    )
    client = world.users["client"]
    change_request_from_client(project=project, by=client, title="Night shift", description="Why")
    archived = make_project(world.orgs[OWN], manager, "OLD", status="active")
    project_archive(project=archived, by=manager)
    Timer.objects.create(person=manager, project=project, started_at=NOW - dt.timedelta(hours=1))
    world.of["fuzz"] = {"invited": invited, "codes": [archived.code]}


# -- finding the forms ----------------------------------------------------------------------


@dataclass
class Found:
    """A form to fuzz: as whom, and in which browser (a signed link's has its
    own session)."""

    form: Form
    role: str
    browser: Client


def _role(row: Row, side: str) -> str | None:
    return next((role for role in ROLES if row.expected(role, side) == 200), None)


def _siblings(row: Row, kwargs: dict, world: World) -> list[dict]:
    """The row's kwargs, then those of its siblings, which other states show:
    the same kind of row with the next keys or numbers (M-1 → M-2, M-3…), the
    project's own pages for the other projects of the world (archived)."""
    found = [kwargs]
    if set(kwargs) == {"code"}:
        found += [{"code": code} for code in world.of["fuzz"]["codes"]]
    key = re.fullmatch(r"([A-Z]+)-(\d+)", str(kwargs.get("key", "")))
    for n in range(1, SIBLINGS + 1):
        if key and str(n) != key[2]:
            found.append({**kwargs, "key": f"{key[1]}-{n}"})
        elif "number" in kwargs and "key" not in kwargs and n != kwargs["number"]:
            found.append({**kwargs, "number": n})
    return found


def browser(user=None) -> Client:
    """A test client that enforces CSRF as a browser meets it, signed in as
    `user` (None: nobody)."""
    http = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        http.force_login(user)
    return http


def _pages(world: World) -> Iterator[tuple[str, Client, str, dict]]:
    """(role, browser, path, query) of every GET page to render; not the files
    (a route that ends in an extension: a PDF, an export, a feed), which hold
    no form and take long to make."""
    browsers = {role: browser(world.users[role]) for role in ROLES}
    files = {name for name, route in page_names().items() if FILE.search(route)}
    seen = set()
    for row in all_rows("PAGES"):
        side = OWN if row.foreign is not None else NO_PROJECT
        role = _role(row, side)
        if row.method != "GET" or role is None or row.target in files:
            continue
        if row.target in SIGNED_LINKS:  # its own browser: the link's token goes in the session
            yield "anonymous", browser(), SIGNED_LINKS[row.target](world), {}
            continue
        query = resolve(row.data, world, side, role) or {}
        for kwargs in _siblings(row, resolve(row.kwargs, world, side, role), world):
            path = reverse(row.target, kwargs=kwargs)
            if (path, role) not in seen:
                seen.add((path, role))
                yield role, browsers[role], path, query


def find_forms(world: World) -> dict[str, Found]:
    found: dict[str, Found] = {}
    for role, http, path, query in _pages(world):
        response = http.get(path, query, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = response.request["PATH_INFO"]  # where a signed link leads
        for form in forms_in(html, page):
            if form.key not in found:
                found[form.key] = Found(form, role, http)
    return found


# -- sending and judging --------------------------------------------------------------------


def _multipart(pairs: list[tuple[str, str | Upload]]) -> tuple[bytes, str]:
    """The body a browser sends for a multipart form, file names as typed
    (Django's test client would keep only their last part)."""
    boundary = "----liaisonformfuzz"
    parts = []
    for name, value in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
        if isinstance(value, Upload):
            filename = value.name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
            head += f'; filename="{filename}"\r\nContent-Type: application/octet-stream'
            parts.append(force_bytes(head + "\r\n\r\n") + value.content + b"\r\n")
        else:
            parts.append(force_bytes(f"{head}\r\n\r\n{value}\r\n"))
    body = b"".join(parts) + force_bytes(f"--{boundary}--\r\n")
    return body, f"multipart/form-data; boundary={boundary}"


def _written(queries: list[dict]) -> tuple[str, ...]:
    tables = []
    for query in queries:
        sql = query["sql"] or ""  # none when the database refused the statement
        match = re.match(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', sql, re.I)
        if match and match[1] not in NOT_WRITES:
            tables.append(match[1])
    return tuple(tables)


def _exception(response) -> str:
    if not getattr(response, "exc_info", None):
        return "(no exception recorded)"
    kind, error, trace = response.exc_info
    frames = [f for f in traceback.extract_tb(trace) if "/liaison/" in f.filename][-3:]
    where = " ← ".join(f"{f.filename.split('/liaison/')[-1]}:{f.lineno}" for f in frames)
    return f"{kind.__name__}: {error} at {where}"


def send(found: Found, submission: Submission) -> Answer:
    """Post `submission` as the browser would, and follow a redirect."""
    form, http = found.form, found.browser
    headers = {}
    if form.htmx:
        headers = {"HX-Request": "true", "HX-Current-URL": f"http://127.0.0.1{form.page}"}
        headers["X-CSRFToken"] = form.htmx_csrf
    pairs: list[tuple[str, str | Upload]] = []
    if form.csrf:
        pairs.append(("csrfmiddlewaretoken", form.csrf))
    for name, values in submission.data.items():
        pairs += [(name, values)] if isinstance(values, Upload) else [(name, v) for v in values]
    if form.multipart:
        body, content_type = _multipart(pairs)
    else:
        body, content_type = urlencode(pairs), "application/x-www-form-urlencoded"
    with CaptureQueriesContext(connection) as queries:
        response = http.post(form.action, body, content_type=content_type, headers=headers)
    answer = Answer(status=response.status_code, wrote=_written(queries.captured_queries))
    if response.status_code >= 500:
        answer.error = _exception(response)
    if "text/html" in response.get("Content-Type", ""):
        answer.html = response.content.decode(errors="replace")
    if response.status_code in REDIRECTS:
        answer.location = response["Location"]
        if local(answer.location):
            followed = http.get(answer.location, headers=headers)
            answer.followed = followed.status_code
            answer.followed_html = followed.content.decode(errors="replace")
    return answer


class FormFailure(AssertionError):
    """An answer that breaks a rule of form_fuzz.py."""


class ServerError(FormFailure):
    """The fuzz's own name for a 5xx, so the report sorts them first."""


def check(form: Form, submission: Submission, answer: Answer) -> None:
    wrong = problems(submission, answer, preview=form.preview)
    if wrong:
        kind = ServerError if answer.status >= 500 or answer.followed >= 500 else FormFailure
        raise kind(f"{'; '.join(wrong)}\n    sent: {submission.describe()}")


@dataclass
class Result:
    """How many examples a form got, and what went wrong (hypothesis's
    smallest example of each kind of failure)."""

    examples: int = 0
    server_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def fuzz(found: Found, examples: settings = HYPOTHESIS) -> Result:
    """Hypothesis's run of one form: the form as the page filled it, every
    control at its most hostile at once, then the generated examples; each in a
    savepoint rolled back, the browser's cookies put back (a sign-out, a
    language), the answer judged."""
    result, http = Result(), found.browser

    @examples
    @example(submission=as_rendered(found.form))
    @example(submission=extremes(found.form))
    @given(submission=submissions(found.form, TODAY))
    def run(submission: Submission) -> None:
        result.examples += 1
        cookies = http.cookies
        http.cookies = type(cookies)(cookies)
        try:
            with transaction.atomic():
                answer = send(found, submission)
                transaction.set_rollback(True)
        finally:
            http.cookies = cookies
        check(found.form, submission, answer)

    try:
        run()
    except (FormFailure, BaseExceptionGroup) as failure:
        errors = failure.exceptions if isinstance(failure, BaseExceptionGroup) else [failure]
        for error in errors:
            told = f"{found.role} posts {found.form.key} (from {found.form.page}): {error}"
            kind = result.server_errors if isinstance(error, ServerError) else result.failures
            kind.append(told)
    return result


@contextmanager
def no_lookups() -> Iterator[None]:
    """Host names are not looked up: an address a form takes (a webhook's) is
    refused as not found rather than sent to a resolver off this machine."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host in ("127.0.0.1", "::1", "localhost") or re.fullmatch(r"[\d.:]+", str(host)):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "not looked up in the form fuzz")

    socket.getaddrinfo = local_only
    try:
        yield
    finally:
        socket.getaddrinfo = real


# -- the run, once for the module ---------------------------------------------------------


@dataclass
class Run:
    world: World
    found: dict[str, Found]
    results: dict[str, Result] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world_forms(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Run]:
    """The world and the forms found in it, kept for the module (rolled back
    at its end); fuzzing writes only in savepoints."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=True),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"],
        ),
        no_lookups(),
        transaction.atomic(),
    ):
        try:
            world = build_world()
            _more_world(world)
            yield Run(world, find_forms(world))
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def fuzzed(world_forms: Run) -> Run:
    """Every form found, fuzzed (inside world_forms' database and clock)."""
    for key, found in sorted(world_forms.found.items()):
        world_forms.results[key] = fuzz(found)
    return world_forms


# -- the checks ----------------------------------------------------------------------------


def _report(failures: list[str]) -> str:
    return f"{len(failures)} forms failed:\n\n" + "\n\n".join(failures)


def test_no_form_answers_with_a_server_error(fuzzed: Run):
    failures = [failure for result in fuzzed.results.values() for failure in result.server_errors]
    assert failures == [], _report(failures)


def test_every_answer_is_documented_and_a_refusal_says_why_beside_the_field(fuzzed: Run):
    failures = [failure for result in fuzzed.results.values() for failure in result.failures]
    assert failures == [], _report(failures)


def test_every_form_found_is_fuzzed(fuzzed: Run):
    """Each form of every page rendered, a new one too, was sent, and posts to
    a URL of this site."""
    assert len(fuzzed.found) > 50
    unsent = [key for key in fuzzed.found if not fuzzed.results[key].examples]
    assert unsent == []
    nowhere = [f.form.action for f in fuzzed.found.values() if not f.form.action_name]
    assert nowhere == []


def test_every_post_has_its_form_fuzzed(fuzzed: Run):
    """Every URL the access matrix posts to (each app's POST rows) and every
    e-mailed link is the action of a form fuzzed here, or in NO_FORM: a page
    whose form the world never shows fails until it does."""
    posts = {row.target for row in all_rows("PAGES") if row.method == "POST"} | set(SIGNED_LINKS)
    sent = {
        found.form.action_name
        for key, found in fuzzed.found.items()
        if fuzzed.results[key].examples
    }
    assert sorted(posts - sent) == sorted(NO_FORM)
    assert not set(NO_FORM) & sent, "a form is found now: take it out of NO_FORM"


# -- the fuzz fails when it should ------------------------------------------------------------

PLANTED = settings(HYPOTHESIS, max_examples=15, phases=[Phase.generate])


def _form_of(run: Run, action: str) -> Found:
    return next(found for found in run.found.values() if found.form.action_name == action)


def test_the_fuzz_fails_on_a_server_error(world_forms: Run, monkeypatch):
    from liaison.requirements import services

    def planted(**kwargs):
        raise RuntimeError("a planted bug")

    monkeypatch.setattr(services, "requirement_create", planted)
    result = fuzz(_form_of(world_forms, "requirements:create"), PLANTED)
    assert "RuntimeError: a planted bug" in "".join(result.server_errors)


def test_the_fuzz_fails_on_a_refusal_without_a_message(world_forms: Run, monkeypatch):
    """A form whose errors never reach the page (the templates show none)."""
    from django.forms import BaseForm, BoundField
    from django.forms.utils import ErrorList

    monkeypatch.setattr(BoundField, "errors", property(lambda field: ErrorList()))
    monkeypatch.setattr(BaseForm, "non_field_errors", lambda form: ErrorList())
    result = fuzz(_form_of(world_forms, "requirements:create"), PLANTED)
    assert "came back without a message" in "".join(result.failures)
    assert result.server_errors == []


PAGE = "<!doctype html><html><body>{}</body></html>"
FIELD = '<div class="field"><label for="t">Title</label><input id="t" name="title">{}</div>'
FORM = '<form method="post">{}<button>Save</button></form>'
ERROR = '<div class="field__error" id="t_error">Give it a title.</div>'
CHANGED = Submission({"title": ["x"]}, as_rendered=False)


@pytest.mark.parametrize(
    ("answer", "wrong"),
    [
        (Answer(500, error="RuntimeError: a bug"), "server error 500"),
        (Answer(200, html=PAGE.format(FORM.format(FIELD.format("")))), "without a message"),
        (Answer(200, html=PAGE.format(FORM.format(FIELD.format(""))) + ERROR), "beside no field"),
        (Answer(200, html=PAGE.format('<div class="field field--error"><input></div>')), "marked"),
        (Answer(400, html=PAGE.format(FORM.format(FIELD.format("")))), "400 without a message"),
        (Answer(302, location="//evil.invalid/"), "another site"),
        (Answer(302, location="https://evil.invalid/"), "another site"),
        (Answer(302, location="/p/OWN/", followed=500), "answers 500"),
        (Answer(404, html=PAGE.format("<p>Gone</p>")), "404 without a reason"),
        (Answer(418), "a status no form answers"),
    ],
)
def test_the_checker_catches(answer: Answer, wrong: str):
    assert wrong in " ".join(problems(CHANGED, answer))


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, html=PAGE.format(FORM.format(FIELD.format(ERROR)))),
        Answer(200, html=PAGE.format(FORM.format('<p class="form-errors">Reload.</p>'))),
        Answer(200, html=PAGE.format('<input aria-describedby="t_error">') + ERROR),
        Answer(400, html=PAGE.format(FORM.format(FIELD.format(ERROR))), wrote=("liaison_x",)),
        Answer(200, html=PAGE.format(FORM.format(FIELD.format(""))), wrote=("requirements",)),
        Answer(200, html=PAGE.format('<li class="message message--success">Saved.</li>')),
        Answer(200, html=f'<tr><td>REQ-1 {ERROR}</td><td><select name="v"></select></td></tr>'),
        Answer(302, location="/p/OWN/", followed=200),
        Answer(404, html=PAGE.format('<div class="card error-page"><h1>Not found</h1></div>')),
    ],
)
def test_the_checker_passes(answer: Answer):
    assert problems(CHANGED, answer) == []


def test_a_preview_needs_no_message():
    shown = Answer(200, html='<p class="schedule-preview">Ends 2027-01-08.</p>')
    assert problems(CHANGED, shown, preview=True) == []
    assert "without a message" in " ".join(problems(CHANGED, shown))


def test_a_fragment_sent_back_unchanged_needs_no_message():
    unchanged = Submission({"v": ["3"]}, as_rendered=True)
    row = Answer(200, html='<tr><td><select name="v"></select></td></tr>')
    assert problems(unchanged, row) == []
    page = Answer(200, html=PAGE.format(FORM.format(FIELD.format(""))))
    assert "without a message" in " ".join(problems(unchanged, page))


READ = (
    '<table><tr hx-post="/p/OWN/requirements/REQ-1/score/" hx-include="this">'
    '<td><select name="cost" form="f"><option value="1">1</option>'
    '<option value="2" selected>2</option></select></td>'
    '<td><form id="f" method="post" action="score/">'
    '<input type="hidden" name="version" value="4">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
    '<input type="radio" name="met" value="yes">'
    '<input type="radio" name="met" value="no" checked>'
    '<input type="checkbox" name="agreed">'
    '<input type="date" name="due" hx-post="preview/" hx-include="closest form">'
    '<button name="decision" value="approve">A</button>'
    '<button name="decision" value="reject">R</button>'
    '<input name="off" disabled><button type="button" name="x">x</button>'
    "</form></td></tr></table>"
    '<form method="get"><input name="q"></form>'
)


def test_the_forms_of_a_page_are_read_as_a_browser_sends_them():
    form, preview = forms_in(PAGE.format(READ), "/p/OWN/requirements/REQ-1/")
    assert (form.action, form.csrf, form.htmx) == ("/p/OWN/requirements/REQ-1/score/", "tok", True)
    assert sorted(form.controls) == ["agreed", "cost", "decision", "due", "met", "version"]
    assert form.controls["met"].options == ("yes", "no")
    assert form.controls["decision"].options == ("approve", "reject")
    sent = {"version": ["4"], "met": ["no"], "due": [""], "decision": ["approve"], "cost": ["2"]}
    assert form.as_rendered == sent
    assert (preview.action, preview.htmx, preview.preview) == (
        "/p/OWN/requirements/REQ-1/preview/",
        True,
        True,
    )
    assert preview.controls == form.controls
