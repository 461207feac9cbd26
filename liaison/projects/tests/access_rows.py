"""The access matrix's rows for projects, members, client companies, invitations,
the organization's undelivered mail and the first-run page
(liaison/tests/access_matrix.py has the framework)."""

import datetime as dt
from dataclasses import dataclass

from liaison.core.models import OutgoingMail
from liaison.projects.models import Membership, TimeOff
from liaison.tests.access_matrix import (
    API_MANAGE,
    API_ORG_STAFF,
    API_SIGNED_IN,
    API_VIEW,
    CLIENT_EDIT,
    CODE,
    LOGIN,
    OK,
    ORG_ADMIN,
    ORG_STAFF,
    OWN,
    PROJECTS,
    PUBLIC,
    TEAM_MANAGE,
    TEAM_VIEW,
    BySide,
    P,
    World,
    endpoint,
    page,
    picks,
    statuses,
)


@dataclass
class Made:
    membership: Membership  # `member`'s
    mail: OutgoingMail  # a mail about the project that failed for good
    time_off: TimeOff  # the person's of the side (capacity): `member` in OWN


def populate(world: World, side: str) -> Made:
    """In OWN the fixtures made the membership, in FOREIGN it is made here."""
    project, member = world.projects[side], world.users["member"]
    if side == OWN:
        membership = Membership.objects.get(project=project, user=member)
    else:
        membership = Membership.objects.create(
            project=project, user=member, role=Membership.Role.MEMBER
        )
    mail = OutgoingMail.objects.create(
        to=[member.email],
        recipient=member,
        project=project,
        subject="Invitation",
        text="Welcome",
        status=OutgoingMail.Status.FAILED,
        tries=9,
        last_error="SMTPRecipientsRefused",
    )
    return Made(membership, mail, _time_off(world, side))


def _time_off(world: World, side: str) -> TimeOff:
    """People and capacity: a week off of the outsider (a person of no project,
    whom only the owner and they themselves see), or of FOREIGN's manager."""
    project = world.projects[side]
    person = world.users["outsider"] if side == OWN else project.manager
    return TimeOff.objects.create(
        organization=world.orgs[side],
        user=person,
        start_date=dt.date(2027, 2, 1),
        end_date=dt.date(2027, 2, 5),
        note="Leave",
    )


made = picks("projects")
MEMBERSHIP_ID = made(lambda m: m.membership.pk)
MEMBERSHIP_VERSION = made(lambda m: m.membership.version)
MAIL_ID = made(lambda m: m.mail.pk)
CLIENT_ID = BySide(lambda w, side, role: w.projects[side].client_id)
# OWN: the world's client user, a contact of the organization's clients;
# FOREIGN: the other organization's manager, nobody's contact here.
CONTACT_ID = BySide(
    lambda w, side, role: w.users["client"].pk if side == OWN else w.projects[side].manager_id
)
ORG_ID = BySide(lambda w, side, role: w.orgs[side].pk)
ORG_SLUG = BySide(lambda w, side, role: w.orgs[side].slug)
PROJECT_VERSION = BySide(lambda w, side, role: w.projects[side].version)
MANAGER_ID = BySide(lambda w, side, role: w.projects[side].manager_id)

MEMBER = {"code": CODE, "membership_id": MEMBERSHIP_ID}
# People and capacity: OWN's `member`, whom the owner, OWN's manager and they
# themselves see; FOREIGN's manager, in another organization, whom nobody here sees.
PERSON_ID = BySide(
    lambda w, side, role: w.users["member"].pk if side == OWN else w.projects[side].manager_id
)
TIME_OFF_ID = made(lambda m: m.time_off.pk)
PERSON = {"user_id": PERSON_ID}
SEES_PERSON = statuses(team=OK, observer=404, outsider=404, client=404, signed_out=LOGIN)
# The outsider, on no project: the owner's and their own (the owner renders the
# page first, with its forms, for the form fuzz).
LONER_ID = BySide(
    lambda w, side, role: w.users["outsider"].pk if side == OWN else w.projects[side].manager_id
)
SEES_LONER = statuses(staff=404, owner=OK, outsider=OK, client=404, signed_out=LOGIN)
API_SEES_LONER = statuses(staff=404, owner=OK, outsider=OK, client=404, signed_out=401)
API_SEES_PERSON = statuses(team=OK, observer=404, outsider=404, client=404, signed_out=401)
PEOPLE = "/api/v1/people/{user_id}"
PROJECT_FORM = {
    "name": "Renamed",
    "client": CLIENT_ID,
    "manager": MANAGER_ID,
    "status": "active",
    "currency": "CNY",
    "version": PROJECT_VERSION,
}

PAGES = [
    page(
        "projects:invitation-accept",
        "GET",
        PUBLIC,
        kwargs={"code": "OWN", "uidb64": "MTIzNDU2", "token": "not-a-valid-token"},
        note="the invitation's set-password link; an invalid one renders 'link is not valid'",
    ),
    # -- the organization's internal pages: staff only ------------------------------
    page("projects:list", "GET", ORG_STAFF),
    page("projects:create", "GET", ORG_STAFF),
    page("projects:create", "POST", ORG_STAFF, data={}, case="empty form"),
    page("projects:organization-switch", "POST", ORG_STAFF, 302, data={"organization": ORG_ID}),
    page(
        "projects:client-list",
        "GET",
        ORG_STAFF,
        note="org admins see every client; other staff the clients of their projects",
    ),
    page("projects:client-create", "GET", ORG_ADMIN),
    page("projects:undelivered-mail", "GET", ORG_ADMIN),
    page(
        "projects:undelivered-mail-send-again",
        "POST",
        ORG_ADMIN,
        302,
        kwargs={"mail_id": MAIL_ID},
        note="OWN's mail: 403 to the staff; another organization's: 404 to all",
    ),
    page("projects:client-create", "POST", ORG_ADMIN, data={}, case="empty form"),
    page(
        "projects:client-contact-deactivate",
        "POST",
        ORG_ADMIN,
        302,
        kwargs={"user_id": CONTACT_ID},
        note="the world's client user, a contact of OWN's client; FOREIGN's world: 404",
    ),
    page(
        "projects:client-edit",
        "GET",
        CLIENT_EDIT,
        kwargs={"client_id": CLIENT_ID},
        note="OWN's client: 403 to the staff who see OWN, 404 to the outsider who does not",
    ),
    page(
        "projects:client-edit",
        "POST",
        CLIENT_EDIT,
        kwargs={"client_id": CLIENT_ID},
        data={},
        case="empty form",
    ),
    # -- people and capacity: a person's page, their capacity and time off ------------
    page("projects:person", "GET", SEES_PERSON, kwargs=PERSON),
    page(
        "projects:person",
        "GET",
        SEES_LONER,
        kwargs={"user_id": LONER_ID},
        case="a person of no project",
    ),
    page(
        "projects:person-capacity",
        "POST",
        SEES_PERSON,
        302,
        kwargs=PERSON,
        data={"hours_per_week": 30, "working_weekdays": ["0", "1", "2"], "version": 1},
        manager=403,
        member=403,
        note="org owners and admins set it; whoever sees the person gets 403",
    ),
    page(
        "projects:time-off-add",
        "POST",
        SEES_PERSON,
        302,
        kwargs=PERSON,
        data={"start_date": "2027-03-01", "end_date": "2027-03-02", "note": "Training"},
        manager=403,
        note="org owners and admins, and the person for themselves",
    ),
    page(
        "projects:time-off-delete",
        "POST",
        SEES_LONER,
        302,
        kwargs={"time_off_id": TIME_OFF_ID},
        note="the outsider's: the owner's and their own",
    ),
    page("projects:time-reminders", "GET", ORG_ADMIN),
    page(
        "projects:time-reminders",
        "POST",
        ORG_ADMIN,
        302,
        data={"version": 1, "enabled": "on"},
    ),
    # -- the first-run page: gone once an organization exists -----------------------
    page("setup:first-run", "GET", statuses(all=404)),
    page(
        "setup:first-run",
        "POST",
        statuses(all=404),
        data={"name": "Takeover", "email": "x@test.example", "password": "p"},
        case="a full form",
    ),
    # -- a project's members and settings -------------------------------------------
    page("projects:members", "GET", TEAM_VIEW, kwargs=P),
    page(
        "projects:members",
        "POST",
        TEAM_MANAGE,
        400,
        kwargs=P,
        data={},
        case="empty form",
        note="inviting needs MANAGE; an empty form answers 400",
    ),
    page(
        "projects:members",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=P,
        data={
            "email": "newcomer@test.example",
            "role": "member",
            "confirm": "newcomer@test.example",
        },
        case="invite",
    ),
    page("projects:edit", "GET", TEAM_MANAGE, kwargs=P),
    page("projects:edit", "POST", TEAM_MANAGE, 302, kwargs=P, data=PROJECT_FORM),
    page("projects:archive", "POST", TEAM_MANAGE, 302, kwargs=P),
    page("projects:unarchive", "POST", TEAM_MANAGE, 302, kwargs=P),
    page(
        "projects:member-role",
        "POST",
        TEAM_MANAGE,
        302,
        kwargs=MEMBER,
        data={"role": "observer", "version": MEMBERSHIP_VERSION},
    ),
    page("projects:member-remove", "POST", TEAM_MANAGE, 302, kwargs=MEMBER),
]

ENDPOINTS = [
    endpoint("GET", "/api/v1/me", API_SIGNED_IN),
    endpoint("GET", PROJECTS, API_ORG_STAFF),
    endpoint(
        "POST",
        PROJECTS,
        API_ORG_STAFF,
        201,
        data={"code": "NEW", "name": "New", "client_id": CLIENT_ID, "organization": ORG_SLUG},
        outsider=400,
        note="FOREIGN: into the other organization; the outsider sees no project of "
        "OWN's client, so cannot choose it",
    ),
    endpoint("GET", PROJECTS + "/{code}", API_VIEW, params=P),
    endpoint(
        "PATCH",
        PROJECTS + "/{code}",
        API_MANAGE,
        params=P,
        data={"version": PROJECT_VERSION, "name": "Renamed"},
    ),
    endpoint("POST", PROJECTS + "/{code}/archive", API_MANAGE, params=P),
    endpoint("POST", PROJECTS + "/{code}/restore", API_MANAGE, params=P),
    endpoint("GET", PROJECTS + "/{code}/members", API_VIEW, params=P),
    endpoint(
        "POST",
        PROJECTS + "/{code}/members",
        API_MANAGE,
        201,
        params=P,
        data={"email": "newcomer@test.example", "role": "member", "confirm": True},
    ),
    endpoint(
        "PATCH",
        PROJECTS + "/{code}/members/{member_id}",
        API_MANAGE,
        params={"code": CODE, "member_id": MEMBERSHIP_ID},
        data={"role": "observer", "version": MEMBERSHIP_VERSION},
    ),
    endpoint(
        "DELETE",
        PROJECTS + "/{code}/members/{member_id}",
        API_MANAGE,
        204,
        params={"code": CODE, "member_id": MEMBERSHIP_ID},
    ),
    # -- people and capacity: a person's working week and time off ----------------------
    endpoint("GET", PEOPLE + "/capacity", API_SEES_PERSON, params=PERSON),
    endpoint(
        "PUT",
        PEOPLE + "/capacity",
        API_SEES_PERSON,
        params=PERSON,
        data={"hours_per_week": 30, "working_weekdays": "012", "version": 1},
        manager=403,
        member=403,
    ),
    endpoint(
        "POST",
        PEOPLE + "/time-off",
        API_SEES_PERSON,
        201,
        params=PERSON,
        data={"start_date": "2027-03-01", "end_date": "2027-03-02", "note": "Training"},
        manager=403,
    ),
    endpoint(
        "DELETE",
        "/api/v1/people/time-off/{time_off_id}",
        API_SEES_LONER,
        204,
        params={"time_off_id": TIME_OFF_ID},
    ),
]
