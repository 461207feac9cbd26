from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.collab.notify import notify

COMMENTED = gettext_lazy("%(actor)s commented on %(target)s")
# A message Django itself translates, so the test proves the per-recipient
# language even before Liaison's own catalogue is compiled.
REQUIRED = gettext_lazy("This field is required.")


def test_notify_writes_one_row_per_recipient(project, manager, member, observer):
    rows = notify(
        event="comment",
        recipients=[member, observer],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": project},
        project=project,
        url="/p/OWN/",
    )
    assert len(rows) == 2
    stored = Notification.objects.filter(event="comment").order_by("recipient__email")
    assert [n.recipient for n in stored] == [member, observer]
    first = stored[0]
    assert first.actor == manager
    assert first.project == project
    assert first.url == "/p/OWN/"
    assert first.text == f"{manager} commented on {project}"
    assert first.is_unread


def _in(language: str, message: str, params: dict | None = None) -> str:
    with translation.override(language):
        return gettext(message) % (params or {})


def test_notify_stores_the_message_key_and_its_data_not_a_sentence(project, manager, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    notify(
        event="comment",
        recipients=[member],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": project, "role": gettext_lazy("Client")},
        project=project,
    )
    row = Notification.objects.get(recipient=member)
    assert row.message == "%(actor)s commented on %(target)s"
    assert row.params == {
        "actor": str(manager),
        "target": str(project),
        "role": {"msgid": "Client"},
    }
    assert row.fallback_text == ""


def test_a_notification_reads_in_the_readers_current_language(project, manager, member):
    """Not in the language of the moment it was written: a reader who switches
    language reads every notification in the new one."""
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with translation.override("zh-hans"):
        notify(
            event="comment",
            recipients=[member],
            actor=manager,
            message=COMMENTED,
            params={"actor": manager, "target": project},
            project=project,
        )
    row = Notification.objects.get(recipient=member)
    params = {"actor": str(manager), "target": str(project)}
    chinese = _in("zh-hans", "%(actor)s commented on %(target)s", params)
    english = _in("en", "%(actor)s commented on %(target)s", params)
    assert chinese != english
    with translation.override("zh-hans"):
        assert row.text == chinese
    with translation.override("en"):
        assert row.text == english == str(row)


def test_notify_translation_does_not_depend_on_the_active_language(manager, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with translation.override("en"):
        notify(event="x", recipients=[member, manager], actor=None, message=REQUIRED, params={})
    chinese = _in("zh-hans", "This field is required.")
    assert chinese != "This field is required."
    for row in Notification.objects.all():
        with translation.override("zh-hans"):
            assert row.text == chinese
        with translation.override("en"):
            assert row.text == "This field is required."


def test_notify_translates_lazy_params_when_read(member, observer):
    notify(
        event="x",
        recipients=[member, observer],
        actor=None,
        message=gettext_lazy("%(what)s"),
        params={"what": REQUIRED},
    )
    row = Notification.objects.get(recipient=member)
    assert row.params == {"what": {"msgid": "This field is required."}}
    with translation.override("zh-hans"):
        assert row.text == _in("zh-hans", "This field is required.") != "This field is required."
    with translation.override("en"):
        assert row.text == "This field is required."


def test_an_old_row_shows_the_text_it_was_written_with(manager):
    """Rows from before messages were stored as data have only their sentence."""
    row = Notification.objects.create(recipient=manager, event="x", text="Old sentence")
    row.refresh_from_db()
    assert (row.message, row.fallback_text) == ("", "Old sentence")
    with translation.override("zh-hans"):
        assert row.text == "Old sentence"


def test_a_message_whose_params_no_longer_fit_falls_back(manager):
    row = Notification.objects.create(
        recipient=manager,
        event="x",
        message="%(actor)s commented on %(target)s",
        params={"actor": "Ann"},  # "target" went missing
        fallback_text="Ann commented on REQ-1",
    )
    assert row.text == "Ann commented on REQ-1"


def test_a_plain_string_message_is_kept_as_written(manager, member):
    """Only a lazy gettext string can be translated later; anything else is
    stored as the sentence it is, in the recipient's language."""
    notify(event="x", recipients=[member], actor=None, message="Plain %(n)s", params={"n": 3})
    row = Notification.objects.get()
    assert (row.message, row.fallback_text, row.text) == ("", "Plain 3", "Plain 3")


def test_notify_skips_the_actor(project, manager, member):
    rows = notify(
        event="comment",
        recipients=[manager, member],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": project},
    )
    assert [row.recipient for row in rows] == [member]
    assert not Notification.objects.filter(recipient=manager).exists()


def test_notify_skips_inactive_recipients(project, manager, deactivated, member):
    notify(
        event="x",
        recipients=[deactivated, member],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": project},
    )
    assert not Notification.objects.filter(recipient=deactivated).exists()
    assert Notification.objects.filter(recipient=member).count() == 1


def test_notify_skips_none_and_duplicates(project, manager, member):
    notify(
        event="x",
        recipients=[None, member, member, project.manager, manager],
        actor=None,
        message=COMMENTED,
        params={"actor": manager, "target": project},
    )
    assert Notification.objects.filter(recipient=member).count() == 1
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_notify_truncates_long_text(org):
    long_name = "N" * 600
    notify(
        event="x",
        recipients=[make_user("reader@test.example", org=org)],
        actor=None,
        message=gettext_lazy("%(name)s"),
        params={"name": long_name},
    )
    assert len(Notification.objects.get().text) == 500


def test_notify_with_no_recipients_writes_nothing(manager):
    assert notify(event="x", recipients=[], actor=manager, message=COMMENTED, params={}) == []
    assert Notification.objects.count() == 0
