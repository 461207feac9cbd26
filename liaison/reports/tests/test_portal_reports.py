"""The client's status reports in the portal: only published ones, the
acknowledgement (once, with an optional comment), client-visible comments,
and what the list costs in queries."""

import datetime as dt
import re

from django.contrib.messages import get_messages

from liaison.collab.models import Comment, Notification
from liaison.collab.services import comment_create
from liaison.planning.models import Milestone
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member, make_project
from liaison.reports.forms import last_weeks_monday
from liaison.reports.models import StatusReport
from liaison.reports.tests.factories import make_report

Status = StatusReport.Status
LIST = "/portal/p/OWN/reports/"


def _url(number: int, action: str = "") -> str:
    return f"{LIST}{number}/{action + '/' if action else ''}"


def _text(response) -> str:
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _weeks_ago(weeks: int) -> dt.date:
    return last_weeks_monday() - dt.timedelta(weeks=weeks)


# -- the list --------------------------------------------------------------------------


def test_the_list_shows_published_reports_newest_first(login, project, manager, client_user):
    make_report(
        project,
        manager,
        period_start=_weeks_ago(2),
        status=Status.ACKNOWLEDGED,
        acknowledged_by=client_user,
        title="Two weeks ago",
    )
    make_report(project, manager, period_start=_weeks_ago(1), status=Status.PUBLISHED, title="Last")
    make_report(project, manager, period_start=_weeks_ago(0), title="Still a draft")

    page = _main(_text(login(client_user).get(LIST)))

    rows = re.findall(r"<tr>.*?</tr>", page[page.index("<tbody>") :], re.S)
    assert len(rows) == 2
    assert "Last" in rows[0] and "To acknowledge" in rows[0]
    assert "Two weeks ago" in rows[1] and "Acknowledged on" in rows[1]
    assert "Still a draft" not in page
    assert f'href="{_url(2)}"' in page and _url(3) not in page


def test_the_empty_list_says_nothing_is_to_do(login, project, manager, client_user):
    make_report(project, manager)  # a draft: not for the client yet
    page = _main(_text(login(client_user).get(LIST)))
    assert "No reports yet" in page
    assert "Nothing to do until then." in page


def test_the_portal_nav_links_to_the_reports(login, project, client_user):
    page = _text(login(client_user).get("/portal/p/OWN/"))
    assert f'href="{LIST}"' in page


def _reports(project, manager, client_user, count: int, offset: int = 0) -> None:
    for n in range(offset, offset + count):
        fields = {"acknowledged_by": client_user} if n % 2 else {}
        make_report(
            project,
            manager,
            period_start=_weeks_ago(n),
            status=Status.ACKNOWLEDGED if n % 2 else Status.PUBLISHED,
            **fields,
        )


def test_the_list_query_count_does_not_grow(
    login, project, manager, client_user, django_assert_max_num_queries
):
    http = login(client_user)
    _reports(project, manager, client_user, 2)
    with django_assert_max_num_queries(10) as small:
        assert http.get(LIST).status_code == 200
    _reports(project, manager, client_user, 18, offset=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = _text(http.get(LIST))
    assert page.count("To acknowledge") == 10


# -- one report ------------------------------------------------------------------------


def test_a_draft_is_404_for_the_client(login, project, manager, client_user):
    report = make_report(project, manager, summary="Not yet")
    http = login(client_user)
    assert http.get(_url(report.number)).status_code == 404
    assert http.get(f"{LIST}{report.number}.pdf").status_code == 404
    assert http.post(_url(report.number, "acknowledge")).status_code == 404
    assert http.post(_url(report.number, "comments"), {"body": "x"}).status_code == 404
    assert StatusReport.objects.get().status == Status.DRAFT
    assert not Comment.objects.exists()


def test_the_client_reads_the_report_and_is_asked_to_acknowledge(
    login, project, manager, client_user
):
    start = last_weeks_monday()
    Milestone.objects.create(
        project=project, key="M-1", name="Pilot", due_date=start + dt.timedelta(days=8)
    )
    Milestone.objects.create(
        project=project,
        key="M-2",
        name="Internal one",
        due_date=start + dt.timedelta(days=8),
        client_visible=False,
    )
    report = make_report(
        project, manager, status=Status.PUBLISHED, concerns="We need the *floor plans*."
    )

    page = _main(_text(login(client_user).get(_url(report.number))))

    assert report.title in page
    assert "Everything went to plan." in page  # the factory's summary
    assert "<em>floor plans</em>" in page
    assert 'href="/portal/p/OWN/milestones/M-1/"' in page
    assert "Internal one" not in page
    assert "<svg" in page
    assert f'action="{_url(report.number, "acknowledge")}"' in page
    assert 'name="comment"' in page
    assert 'href="/portal/p/OWN/reports/1.pdf"' in page
    assert "/p/OWN/reports/1/edit/" not in page  # nothing of the team's page


def test_acknowledging_works_once(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED)
    http = login(client_user)

    response = http.post(
        _url(report.number, "acknowledge"),
        {"comment": "Thanks, *clear*.", "version": report.version},
    )

    assert response.status_code == 302 and response["Location"] == _url(report.number)
    assert "you acknowledged RPT-1" in " ".join(_messages(response))
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED and report.acknowledged_by == client_user
    assert report.acknowledgement == "Thanks, *clear*."
    assert Notification.objects.filter(recipient=manager, event="report.acknowledged").exists()
    acknowledged_at = report.acknowledged_at

    page = _main(_text(http.get(_url(report.number))))
    assert "Acknowledged by client on" in page
    assert "<em>clear</em>" in page
    assert "/acknowledge/" not in page

    again = http.post(_url(report.number, "acknowledge"), {"comment": "Twice"})
    assert again.status_code == 302
    assert "already acknowledged" in " ".join(_messages(again))
    report.refresh_from_db()
    assert report.acknowledged_at == acknowledged_at
    assert report.acknowledgement == "Thanks, *clear*."


def test_acknowledging_a_report_changed_meanwhile_is_refused_politely(
    login, project, manager, client_user
):
    report = make_report(project, manager, status=Status.PUBLISHED)
    response = login(client_user).post(
        _url(report.number, "acknowledge"), {"version": report.version + 1}
    )
    assert response.status_code == 302
    assert "Read it again as it now stands" in " ".join(_messages(response))
    assert StatusReport.objects.get().status == Status.PUBLISHED


def test_acknowledging_without_a_comment(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED)
    login(client_user).post(_url(report.number, "acknowledge"))
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED and report.acknowledgement == ""


def test_a_nul_in_the_acknowledgement_is_refused_beside_the_comment(
    login, project, manager, client_user
):
    """Found by the form fuzz on PostgreSQL, which cannot store a NUL (a server error)."""
    report = make_report(project, manager, status=Status.PUBLISHED)
    response = login(client_user).post(
        _url(report.number, "acknowledge"), {"version": report.version, "comment": "Read\x00"}
    )
    assert response.status_code == 400
    assert re.search(r'id="acknowledge-comment-error">[^<]*NUL character', _text(response))
    assert StatusReport.objects.get().status == Status.PUBLISHED


def test_the_client_comments_and_sees_only_what_is_shared(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED)
    for body, shared in (("For the client", True), ("Team only", False)):
        comment_create(
            target=report,
            project=project,
            by=manager,
            body=body,
            client_visible=shared,
            url="/",
            portal_url="/",
        )
    http = login(client_user)

    response = http.post(_url(report.number, "comments"), {"body": "Why **late**?"})

    assert response["Location"] == _url(report.number) + "#comments"
    mine = Comment.objects.get(author=client_user)
    assert mine.client_visible
    page = _main(_text(http.get(_url(report.number))))
    assert "For the client" in page and "<strong>late</strong>" in page
    assert "Team only" not in page


def test_the_earlier_comments_open_on_the_clients_page(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED)
    for n in range(32):
        comment_create(
            target=report, project=project, by=manager, body=f"note-{n:02d}", client_visible=True
        )
    http = login(client_user)
    page = _main(_text(http.get(_url(report.number))))
    assert "note-31" in page and "note-01" not in page
    assert "Show 2 earlier comments" in page
    everything = _main(_text(http.get(_url(report.number) + "?comments=all")))
    assert "note-00" in everything and "earlier comment" not in everything


def test_an_empty_comment_is_refused(login, project, manager, client_user):
    report = make_report(project, manager, status=Status.PUBLISHED)
    response = login(client_user).post(_url(report.number, "comments"), {"body": ""})
    assert "Write something before posting." in _messages(response)
    assert not Comment.objects.exists()


# -- who may see it --------------------------------------------------------------------


def test_the_team_gets_404_in_the_portal(login, project, manager, member):
    report = make_report(project, manager, status=Status.PUBLISHED)
    for user in (manager, member):
        http = login(user)
        assert http.get(LIST).status_code == 404
        assert http.get(_url(report.number)).status_code == 404
        assert http.post(_url(report.number, "acknowledge")).status_code == 404
    assert StatusReport.objects.get().status == Status.PUBLISHED


def test_another_projects_client_gets_404(login, project, manager, org):
    report = make_report(project, manager, status=Status.PUBLISHED)
    other = make_project(org, manager, "OTHER")
    stranger = make_member(other, "stranger@customer.example", role=Membership.Role.CLIENT)
    http = login(stranger)
    assert http.get(LIST).status_code == 404
    assert http.get(_url(report.number)).status_code == 404
    assert http.post(_url(report.number, "acknowledge")).status_code == 404
    assert StatusReport.objects.get().status == Status.PUBLISHED
