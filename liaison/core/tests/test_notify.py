from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from conftest import make_user
from liaison.core.models import Notification
from liaison.core.notify import notify

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


def test_notify_uses_each_recipients_language(project, manager, member, observer):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    notify(
        event="comment",
        recipients=[member, observer],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": project},
        project=project,
    )
    params = {"actor": str(manager), "target": str(project)}
    with translation.override("zh-hans"):
        chinese = gettext("%(actor)s commented on %(target)s") % params
    with translation.override("en"):
        english = gettext("%(actor)s commented on %(target)s") % params
    assert Notification.objects.get(recipient=member).text == chinese
    assert Notification.objects.get(recipient=observer).text == english


def test_notify_translation_does_not_depend_on_the_active_language(manager, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with translation.override("en"):
        notify(event="x", recipients=[member, manager], actor=None, message=REQUIRED, params={})
    with translation.override("zh-hans"):
        chinese = gettext("This field is required.")
    assert chinese != "This field is required."
    assert Notification.objects.get(recipient=member).text == chinese
    assert Notification.objects.get(recipient=manager).text == "This field is required."


def test_notify_translates_lazy_params_per_recipient(member, observer):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    notify(
        event="x",
        recipients=[member, observer],
        actor=None,
        message=gettext_lazy("%(what)s"),
        params={"what": REQUIRED},
    )
    with translation.override("zh-hans"):
        chinese = gettext("This field is required.")
    assert Notification.objects.get(recipient=member).text == chinese
    assert Notification.objects.get(recipient=observer).text == "This field is required."


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
