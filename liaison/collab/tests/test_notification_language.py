"""A notification is read in the reader's language of the moment, wherever it
is read: the inbox page, the dashboard, the API, the e-mail and the digest. The
sentence is written when it is read, from the event's data."""

import datetime as dt
import html
import zoneinfo

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from liaison.collab.notify import digest_send, notify

COMMENTED = "%(actor)s commented on %(target)s"


def _sentences(manager) -> tuple[str, str]:
    params = {"actor": str(manager), "target": "REQ-1"}
    with translation.override("zh-hans"):
        chinese = gettext(COMMENTED) % params
    english = COMMENTED % params
    assert chinese != english  # the catalogue has it
    return english, chinese


def _comment(project, manager, member, url="/p/OWN/"):
    notify(
        event="comment",
        recipients=[member],
        actor=manager,
        message=gettext_lazy(COMMENTED),
        params={"actor": manager, "target": "REQ-1"},
        project=project,
        url=url,
    )


def _switch(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_the_inbox_and_the_dashboard_follow_a_language_switch(login, project, manager, member):
    english, chinese = _sentences(manager)
    _comment(project, manager, member)  # written while the member reads English
    client = login(member)
    assert english in html.unescape(client.get("/notifications/").content.decode())
    _switch(member, "zh-hans")
    for page in ("/notifications/", "/"):
        text = html.unescape(client.get(page).content.decode())
        assert chinese in text and english not in text, page


def test_a_notification_on_a_page_is_a_link_that_marks_it_read(login, project, manager, member):
    _comment(project, manager, member, url="/p/OWN/requirements/")
    page = login(member).get("/notifications/").content.decode()
    assert 'name="next" value="/p/OWN/requirements/"' in page
    assert 'class="btn--link notification__link"' in page


def test_the_api_answers_in_the_callers_language(login, project, manager, member):
    _english, chinese = _sentences(manager)
    _comment(project, manager, member)
    _switch(member, "zh-hans")
    body = login(member).get("/api/v1/notifications").json()
    assert [row["text"] for row in body["items"]] == [chinese]


def test_the_digest_is_written_in_the_language_of_the_day_it_is_sent(
    smtp_inbox, settings, project, manager, member, django_capture_on_commit_callbacks
):
    english, chinese = _sentences(manager)
    settings.DIGEST_HOUR = 18
    member.daily_digest = True
    member.save(update_fields=["daily_digest"])
    _comment(project, manager, member)  # collected while the member reads English
    _switch(member, "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=dt.datetime(2027, 3, 4, 18, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    (message,) = smtp_inbox.messages
    text = message.get_body(("plain",)).get_content()
    assert chinese in text and english not in text


def test_the_email_is_in_the_recipients_language_whatever_the_senders(
    smtp_inbox, project, manager, member, django_capture_on_commit_callbacks
):
    _english, chinese = _sentences(manager)
    _switch(member, "zh-hans")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _comment(project, manager, member)
    (message,) = smtp_inbox.messages
    assert chinese in message["Subject"]
    assert chinese in message.get_body(("plain",)).get_content()
