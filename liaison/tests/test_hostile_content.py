"""Hostile content (issue 13): every text field of every liaison model holds a
payload of hostile_payloads.py (the rule of which fields in hostile_world.py),
and nothing executable comes out anywhere that shows them: every GET page of
the URL conf for the team's manager and for the client (the portal), the API's
GET operations, the notification and minutes e-mails, the PDFs and the
exports (the checks in hostile_checks.py).

The world is the demo (every feature with content) under the pinned clock,
built once for the module, then overwritten; a new model, page or API
operation is covered without editing this file. A failure names the page (or
e-mail, export) and what came out, which holds the payload's marker (xqNN,
hostile_payloads.py)."""

import re
from dataclasses import dataclass

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from conftest import NOW
from liaison.tests.access_matrix import api_operations, page_names
from liaison.tests.hostile_checks import Seen, check_response, executable_in_html
from liaison.tests.hostile_payloads import PAYLOADS, payload_texts
from liaison.tests.hostile_world import liaison_models, overwrite_everything

pytestmark = pytest.mark.django_db

PROJECT = "ACME-WMS"  # the demo project with the most of everything, and a client
TEAM, CLIENT = "admin@demo.test", "client@demo.test"
KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")
PER_URL = 6  # rows rendered per page that names one (detail, edit…)
PER_FILE = 2  # … and per file (a PDF takes a second to make)
FORMATS = ["csv", "xlsx"]  # the requirements export's <fmt>

# Models that hold no text of people (only choices, keys, digests, numbers,
# links between rows): nothing to write. A new model lands here only on purpose.
NO_TEXT = {
    "projects.Capacity",
    "accounts.OrgMembership",
    "accounts.LoginFailure",
    "accounts.SetupToken",
    "projects.Membership",
    "projects.KeyCounter",
    "collab.NotificationPreference",
    "planning.Dependency",
    "communication.Reminder",
    "controls.ContingencyPlan",  # its text is its steps'
    "finance.Rate",  # amounts, a role and a currency
    "finance.Timesheet",  # a person's week: dates and a status
    "finance.ClosedPeriod",  # a date
    "portal.PortalVisit",  # when a client last opened a project's overview
    "accounts.UserSession",  # a session's key and address; the browser's word is not editable
}


# Pages no GET of the team or the client renders with their text, and why.
NOT_SHOWN = {
    "accounts:login": "a signed-in person is sent on",
    "accounts:password-reset-confirm": "a signed link, with no text of the world",
    "projects:invitation-accept": "a signed link, with no text of the world",
    "collab:notifications-unsubscribe": "a signed link, with no text of the world",
    "home:calendar-feed": "a secret link: checked on its own (test_no_pdf_export_or_feed…)",
    "api:api-root": "the API's, not a page",
    "setup:first-run": "only before the first organization exists",
    # A risk's key and a step's number: two values no route walk fills; the
    # steps' text shows on the plan's page (controls:contingency) and its preview.
    "controls:contingency-step": "a step's form: the plan's page shows its text",
    "controls:contingency-step-move": "an action (POST)",
    "controls:contingency-step-remove": "an action (POST)",
    # A document's key and a version's number: files, whose headers documents' tests check.
    "documents:download": "a file (key and number), not a page",
    "portal:document-download": "a file (key and number), not a page",
    "documents:version-share": "an action (POST)",
    "planning:gantt-export": "a PNG or a PDF of the Gantt, whose text the Gantt's page shows",
}


# API operations that answer a file, not JSON: the documents' tests check its headers.
API_FILES = {"/api/v1/projects/{code}/document-versions/{version_id}/file"}


def test_the_payloads_are_many_and_named():
    names = [name for name, _text in PAYLOADS]
    assert len(PAYLOADS) >= 60 and len(set(names)) == len(names)


RAW_EXECUTABLE = (  # as they are, they would run in a page
    "script",
    "script-src",
    "script-upper",
    "img-onerror",
    "img-onerror-slash",
    "svg-onload",
    "svg-script",
    "body-onload",
    "details-ontoggle",
    "iframe",
    "iframe-srcdoc",
    "object",
    "embed",
    "form-action",
    "button-formaction",
    "meta-refresh",
    "base-href",
    "link-import",
    "style-url",
    "style-attr",
    "math-href",
    "a-javascript",
    "htmx-attr",
    "dq-breakout",
    "sq-breakout",
    "textarea-breakout",
    "title-breakout",
    "comment-breakout",
    "json-breakout",
)
URLS_THAT_RUN = (
    "js-url",
    "js-url-case",
    "js-url-entities",
    "js-url-hex-entities",
    "js-url-whitespace",
    "data-html",
    "vbscript",
)


IN_ATTRIBUTES = ("dq-breakout", "sq-breakout", "dq-handler", "sq-handler")
CAUGHT = [
    (name, text)
    for name, _marker, text in payload_texts()
    if name in RAW_EXECUTABLE or name in URLS_THAT_RUN or name in IN_ATTRIBUTES
]


@pytest.mark.parametrize(("name", "text"), CAUGHT, ids=[name for name, _text in CAUGHT])
def test_the_check_catches_the_payload_unescaped(name, text):
    """The check is not blind: as raw HTML, a link's address or an attribute's
    value, each payload that would run is caught, so only escaping passes."""
    if name in RAW_EXECUTABLE:
        assert executable_in_html(f"<p>{text}</p>"), name
    if name in URLS_THAT_RUN:
        assert executable_in_html(f'<a href="{text}">x</a>'), name
    if name in IN_ATTRIBUTES:
        quote = '"' if name.startswith("dq-") else "'"
        assert executable_in_html(f"<input value={quote}{text}{quote}>"), name


def test_every_model_is_written_or_holds_no_text(hostile):
    empty = {label for label, fields in hostile.written.items() if not fields}
    assert empty == NO_TEXT, "a model with no field of people's text: add it to NO_TEXT"
    rowless = [
        model._meta.label
        for model in liaison_models()
        if hostile.written[model._meta.label] and not model.objects.exists()
    ]
    assert rowless == [], "the demo makes no row of these models: add one to the demo or here"


# -- the world, and everything rendered from it, once for the module --------------


@dataclass
class Hostile:
    written: dict[str, list[str]]
    team: Seen
    portal: Seen
    api: Seen
    mail: Seen
    files: Seen


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=True),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ),
        transaction.atomic(),
    ):
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)


def _build() -> Hostile:
    from liaison.accounts.models import User
    from liaison.accounts.services import api_token_create, calendar_feed_reset
    from liaison.demo.load import load_demo

    load_demo()
    team, client = User.objects.get(email=TEAM), User.objects.get(email=CLIENT)
    _beyond_the_demo(team)
    _token, secret = api_token_create(by=team, name="hostile")
    feed = calendar_feed_reset(by=team)
    written = overwrite_everything()
    files = Seen()
    result = Hostile(written, _pages(team, files, portal=False), Seen(), Seen(), Seen(), files)
    result.portal = _pages(client, files, portal=True)
    result.api = _api(secret)
    result.mail = _mails(team, client)
    _calendar(feed, files)
    return result


def _beyond_the_demo(team) -> None:
    """Rows of the models the demo has none of, through their services: an
    attachment, a webhook (and its test delivery), a failed requirements import;
    and a mail that did not go out (the demo sends none)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison.collab.attachments import attachment_add
    from liaison.communication.models import Interaction
    from liaison.core.models import OutgoingMail
    from liaison.requirements.import_jobs import import_job_claim, import_job_fail, job_problem
    from liaison.requirements.services import requirement_import_start
    from liaison.requirements.transfer import template_workbook
    from liaison.webhooks.models import Webhook
    from liaison.webhooks.services import webhook_test

    interaction = Interaction.objects.filter(project__code=PROJECT).order_by("pk").first()
    project = interaction.project
    upload = SimpleUploadedFile("notes from the call.txt", b"Notes from the call")
    attachment_add(target=interaction, project=project, by=team, upload=upload)
    # Made directly, as the access matrix does: the service would look the host up.
    webhook = Webhook.objects.create(
        project=project,
        name="Build bot",
        url="https://hooks.example.test/in",
        format="generic",
        active=False,  # posts nothing on the notifications below
    )
    webhook_test(webhook=webhook, by=team)
    upload = SimpleUploadedFile("requirements.xlsx", template_workbook())
    job = requirement_import_start(project=project, by=team, upload=upload)
    import_job_claim(job_id=job.pk)
    import_job_fail(job_id=job.pk, errors=job_problem("The file could not be read here."))
    OutgoingMail.objects.create(
        to=[team.email],
        recipient=team,
        project=project,
        subject="Notes from the call",
        text="The notes are attached.",
        status=OutgoingMail.Status.FAILED,
        last_error="SMTPDataError: the server said no to this",
    )


# -- filling a URL from the world ----------------------------------------------------


def _groups(name: str, project) -> list[list]:
    """The values that may fill the URL kwarg `name`: one list per model that
    has such a value (a key, a number, a row's id for `<model>_id`), the
    project's rows first. [] when nothing in the world fills it (a token)."""
    if name == "code":
        return [[project.code]]
    if name == "fmt":
        return [FORMATS]
    groups = []
    for model in liaison_models():
        columns = {f.name for f in model._meta.concrete_fields}
        if name in ("key", "number") and name in columns:
            column = name
        elif name.endswith("_id") and model._meta.model_name.endswith(name[:-3].replace("_", "")):
            column = "pk"
        else:
            continue
        rows = model.objects.filter(project=project) if "project" in columns else model.objects
        values = list(rows.order_by("pk").values_list(column, flat=True)[:PER_URL])
        if values:
            groups.append(values)
    return groups


def _urls(route: str, project, get) -> list[str]:
    """The URLs of `route` to render: the only one, or, for a route that names
    a row, every row of the first model with a row `get` answers 200 (or 405,
    an action's URL) for."""
    names = [a or b for a, b in KWARG.findall(route)]
    fill = lambda **kw: "/" + KWARG.sub(lambda m: str(kw[m.group(1) or m.group(2)]), route)  # noqa: E731
    varying = [name for name in names if name != "code"]
    if not varying:
        return [fill(code=project.code)]
    if len(varying) > 1:
        return []  # a signed link (an invitation, a password reset): nothing to fill
    name = varying[0]
    for group in _groups(name, project):
        urls = [fill(code=project.code, **{name: value}) for value in group]
        if any(get(url) in (200, 405) for url in urls):
            return urls
    return []


# -- rendering and checking ------------------------------------------------------------


def _pages(user, files: Seen, *, portal: bool) -> Seen:
    """Every GET page of the URL conf, as `user`: the portal's for the client,
    the others for the team. Files (PDFs, exports) go to `files`."""
    from liaison.projects.models import Project

    project, seen = Project.objects.get(code=PROJECT), Seen()
    browser, probed = Client(), {}
    browser.force_login(user)

    def get(url: str) -> int:  # a probe, kept for the render that follows
        probed[url] = browser.get(url)
        return probed[url].status_code

    for name, route in sorted(page_names().items(), key=lambda item: item[1]):
        if name.startswith("portal:") != portal and KWARG.search(route):
            continue
        urls = _urls(route, project, get)
        seen.statuses[name] = 0
        for index, url in enumerate(urls):
            response = probed.pop(url, None) or browser.get(url)
            seen.statuses[name] = response.status_code
            if response.status_code == 200:
                seen.rendered.add(name)
                where = f"{user.email} GET {url}"
                is_file = response.get("Content-Type", "").split(";")[0] != "text/html"
                check_response(files if is_file else seen, where, response)
                if is_file and index + 1 >= PER_FILE:
                    break
    return seen


def _api(secret: str) -> Seen:
    """Every GET operation of the API, as the team's manager."""
    from liaison.projects.models import Project

    project, seen = Project.objects.get(code=PROJECT), Seen()
    browser = Client(headers={"Authorization": f"Bearer {secret}"})
    get = lambda url: browser.get(url).status_code  # noqa: E731
    for method, path in sorted(api_operations()):
        if method != "GET" or path in API_FILES:
            continue
        seen.statuses[path] = 0
        for url in _urls(path.lstrip("/"), project, get):
            response = browser.get(url)
            # One row answering is enough: a path's first rows may hold one the
            # manager may not read (a client contact has no capacity to show).
            if seen.statuses[path] != 200:
                seen.statuses[path] = response.status_code
            if response.status_code == 200:
                seen.rendered.add(path)
                assert response["Content-Type"].startswith("application/json"), url
                check_response(seen, f"API GET {url}", response)
    return seen


def _mails(team, client) -> Seen:
    """The notification e-mails of a comment whose every part is hostile (one
    per payload, to the manager and the client), a client's comment with every
    payload, and an interaction's agenda and minutes, through the real mail
    path (the job the commit would run)."""
    from django.core import mail
    from django.test import TestCase
    from django.utils.translation import gettext_lazy

    from liaison.collab.notify import notify
    from liaison.collab.services import comment_create
    from liaison.communication.models import Interaction
    from liaison.communication.services.sending import interaction_send
    from liaison.projects.models import Project

    project, seen = Project.objects.get(code=PROJECT), Seen()
    commented = gettext_lazy("%(actor)s commented on %(target)s")
    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        for _name, _marker, text in payload_texts():
            params = {"actor": client, "target": text}
            notify(
                event="comment",
                recipients=[team, client],
                actor=client,
                message=commented,
                params=params,
                project=project,
                url=f"/p/{PROJECT}/",
            )
        body = "\n\n".join(text for _name, _marker, text in payload_texts())
        comment_create(target=project, project=project, by=client, body=body, client_visible=True)
        for interaction in Interaction.objects.filter(project=project).exclude(minutes=""):
            for what in ("agenda", "minutes"):
                interaction_send(interaction=interaction, by=team, what=what)
    for message in mail.outbox:
        where = f"mail to {message.to} {message.subject!r}"
        assert "\n" not in message.subject and "\r" not in message.subject, where
        seen.texts += [message.subject, message.body]
        for alternative, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                seen.html(where, alternative)
        seen.rendered.add(where)
    return seen


def _calendar(secret: str, files: Seen) -> None:
    response = Client().get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    files.rendered.add("calendar feed")
    check_response(files, "calendar feed", response)


# -- the checks --------------------------------------------------------------------------


def test_no_team_page_runs_hostile_content(hostile):
    assert hostile.team.findings == []


def test_no_portal_page_runs_hostile_content(hostile):
    assert hostile.portal.findings == []


def test_no_e_mail_runs_hostile_content(hostile):
    assert hostile.mail.rendered, "no e-mail was sent"
    assert hostile.mail.findings == []


def test_no_pdf_export_or_feed_runs_hostile_content(hostile):
    assert hostile.files.findings == []


def test_the_api_answers_hostile_content_as_json(hostile):
    assert hostile.api.findings == []
    unanswered = {path: status for path, status in hostile.api.statuses.items() if status != 200}
    assert unanswered == {}


def test_every_get_page_is_checked(hostile):
    """Each page of the URL conf was rendered by the team or the client, or is
    an action (405 to a GET), or is one of NOT_SHOWN: a new page is covered."""
    rendered = hostile.team.rendered | hostile.portal.rendered
    actions = {
        name
        for seen in (hostile.team, hostile.portal)
        for name, status in seen.statuses.items()
        if status == 405
    }
    unchecked = set(page_names()) - rendered - actions
    assert unchecked == set(NOT_SHOWN)


def test_every_payload_shows_somewhere(hostile):
    """Each payload reached a page, an e-mail, a PDF, an export or the API:
    the world put it in a field that is shown."""
    seen = [hostile.team, hostile.portal, hostile.api, hostile.mail, hostile.files]
    text = "\n".join(t for s in seen for t in s.texts)
    missing = [name for name, marker, _text in payload_texts() if marker not in text]
    assert missing == []
