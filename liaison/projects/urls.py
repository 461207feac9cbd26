from django.urls import path

from liaison.projects import people_views, views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("p/<str:code>/edit/", views.project_edit, name="edit"),
    path("p/<str:code>/archive/", views.project_archive, name="archive"),
    path("p/<str:code>/restore/", views.project_unarchive, name="unarchive"),
    path("p/<str:code>/members/", views.project_members, name="members"),
    path("p/<str:code>/members/<int:membership_id>/role/", views.member_role, name="member-role"),
    path(
        "p/<str:code>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    # the organization: which one is shown, its client companies (under /accounts/
    # as before the code moved here: the addresses are in people's bookmarks)
    path("accounts/organization/", views.organization_switch, name="organization-switch"),
    path("accounts/clients/", views.client_list_view, name="client-list"),
    path("accounts/clients/new/", views.client_create_view, name="client-create"),
    path("accounts/clients/<int:client_id>/edit/", views.client_edit_view, name="client-edit"),
    path(
        "accounts/contacts/<int:user_id>/deactivate/",
        views.client_contact_deactivate_view,
        name="client-contact-deactivate",
    ),
    # the organization's mail that did not go out: its owners and admins
    path("accounts/mail/", views.undelivered_mail_list, name="undelivered-mail"),
    path(
        "accounts/mail/<int:mail_id>/send-again/",
        views.undelivered_mail_send_again,
        name="undelivered-mail-send-again",
    ),
    # a person's capacity and time off (the people view itself is planning's /people/)
    path("people/<int:user_id>/", people_views.person, name="person"),
    path(
        "people/<int:user_id>/capacity/",
        people_views.person_capacity_edit,
        name="person-capacity",
    ),
    path("people/<int:user_id>/time-off/", people_views.time_off_create, name="time-off-add"),
    path(
        "people/time-off/<int:time_off_id>/delete/",
        people_views.time_off_remove,
        name="time-off-delete",
    ),
    path("people/reminders/", people_views.time_reminders, name="time-reminders"),
    # an invitation's link, in mails already sent
    path(
        "accounts/welcome/<str:code>/<uidb64>/<token>/",
        views.invitation_accept,
        name="invitation-accept",
    ),
]
