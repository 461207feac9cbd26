"""What every page's layout shows (base.html: the top bar, the sidebar).

Every page pays for its layout, so the layout costs what it must and no more
(docs/architecture.md, Pages that stay fast):

- the facts about the person are read when a template first asks for them, in
  two queries (the organizations come with the roles, access.py; the unread
  count), and an HTMX partial, which draws no layout, reads none;
- the layout's links, the same for everyone, are reversed once per process; a
  project's links join its code to a prefix and a suffix reversed once per
  link (core.links.RowUrls);
- the top bar and the sidebar are each rendered from a few facts (`Topbar`,
  `Sidebar`: the language, the person's name, the unread count, the project,
  which link is the current page…) and nothing else, and kept per process
  for the next page that shows the same: most pages a person opens in a row.
  What differs on every request, the CSRF token and the page's own address,
  is written into the kept HTML by `Fragment.html`.
"""

import secrets
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from liaison.accounts.models import Organization, User
from liaison.collab.selectors import unread_notification_count
from liaison.core.links import RowUrls
from liaison.core.registry import registry
from liaison.projects import access
from liaison.projects.models import Project
from liaison.projects.selectors import current_organization

# Stand-ins for the CSRF token and the page's address in a kept fragment:
# random per process, so that no text of a page can hold them.
CSRF_TOKEN = f"csrf-{secrets.token_hex(16)}"
PAGE_PATH = f"path-{secrets.token_hex(16)}"
# What {% csrf_token %} writes for the stand-in, replaced by what it writes for
# the request's own token.
CSRF_INPUT = CsrfTokenNode().render(Context({"csrf_token": CSRF_TOKEN}))
# Fragments kept per process (some 2 KB each).
KEPT = 2048


@dataclass(frozen=True)
class LayoutLinks:
    """The layout's own addresses, the same for every page and person."""

    dashboard: str
    projects: str
    clients: str
    rates: str
    people: str
    undelivered_mail: str
    notifications: str
    portal: str
    settings: str
    password_change: str
    logout: str
    language: str
    organization_switch: str
    search: str
    portal_search: str


@dataclass(frozen=True)
class Language:
    code: str
    name_local: str


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


class Fragment:
    """A part of the layout rendered from its facts (the dataclass's fields,
    which are all its template sees) and kept for the same facts."""

    template = ""

    def html(self, csrf_input: str, path: str) -> SafeString:
        """The fragment with the request's own {% csrf_token %} and address."""
        kept = _rendered(self)
        return mark_safe(kept.replace(CSRF_INPUT, csrf_input).replace(PAGE_PATH, escape(path)))

    def render(self) -> str:
        facts = vars(self)  # the dataclass's fields
        return get_template(self.template).render(
            {**facts, "csrf_token": CSRF_TOKEN, "page_path": PAGE_PATH}
        )


@dataclass(frozen=True)
class Topbar(Fragment):
    """What the top bar shows."""

    template = "core/_topbar.html"
    language: str
    links: LayoutLinks
    signed_in: bool
    is_client_user: bool
    display_name: str
    # (id, name) of each organization the person may switch to, when more than one.
    organizations: tuple[tuple[int, str], ...]
    # The organization the person works in (the chosen one, else the first).
    organization_id: int | None
    organization_name: str
    # The languages to switch to: all but the page's.
    languages: tuple[Language, ...]
    unread_count: int


@dataclass(frozen=True)
class Sidebar(Fragment):
    """What the team's sidebar shows."""

    template = "home/_sidebar.html"
    language: str
    links: LayoutLinks
    project_code: str
    project_name: str
    project_links: tuple[NavLink, ...]
    # The page's address if it is one of the workspace's links, else "".
    current_url: str
    unread_count: int
    # The organization's owners and admins also see its rates and undelivered mail.
    is_org_admin: bool


class Layout:
    """The layout's facts, each read the first time a template asks for it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        user = getattr(request, "user", None)  # None: a page rendered before authentication
        self.user: User | None = user if isinstance(user, User) else None

    @cached_property
    def unread_count(self) -> int:
        return unread_notification_count(user=self.user) if self.user else 0

    @cached_property
    def is_client_user(self) -> bool:
        return self.user is not None and access.is_client_user(self.user)

    @cached_property
    def organizations(self) -> list[Organization]:
        return access.organizations_of(self.user) if self.user else []

    @cached_property
    def current_organization(self) -> Organization | None:
        return current_organization(self.request) if self.organizations else None

    @cached_property
    def is_org_admin(self) -> bool:
        current = self.current_organization
        return bool(self.user and current and access.is_org_admin(self.user, current.pk))

    @property
    def links(self) -> LayoutLinks:
        return _links(_urlconf(), get_script_prefix())

    def topbar(self) -> Topbar:
        current = self.current_organization
        several = self.organizations if len(self.organizations) > 1 else []
        return Topbar(
            language=get_language(),
            links=self.links,
            signed_in=self.user is not None,
            is_client_user=self.is_client_user,
            display_name=self.user.display_name if self.user else "",
            organizations=tuple((organization.pk, organization.name) for organization in several),
            organization_id=current.pk if current else None,
            organization_name=current.name if current else "",
            languages=_other_languages(get_language()),
            unread_count=self.unread_count if self.user else 0,
        )

    def sidebar(self, project: Project | None, can_manage: bool) -> Sidebar | None:
        """None for whom the page shows no sidebar: signed-out people and clients."""
        if self.user is None or self.is_client_user:
            return None
        links, path = self.links, self.request.path
        workspace = (
            links.dashboard,
            links.projects,
            links.clients,
            links.rates,
            links.people,
            links.undelivered_mail,
            links.notifications,
        )
        return Sidebar(
            language=get_language(),
            links=links,
            project_code=project.code if project else "",
            project_name=project.name if project else "",
            project_links=tuple(project_links(project, path, can_manage)) if project else (),
            current_url=path if path in workspace else "",
            unread_count=self.unread_count,
            is_org_admin=self.is_org_admin,
        )


def project_links(project: Project, path: str, can_manage: bool) -> list[NavLink]:
    """Each link the features register (core.registry.ProjectLink) that the
    viewer may follow (managers' links need `can_manage`), and whether it is
    the current page."""
    links = []
    urlconf, prefix = _urlconf(), get_script_prefix()
    for link in registry.project_links:
        if link.managers_only and not can_manage:
            continue
        url = _project_urls(link.url_name, urlconf, prefix)(project.code)
        current = path == url if link.exact else url in path
        links.append(NavLink(str(link.label), url, current))
    return links


@lru_cache(maxsize=KEPT)
def _rendered(fragment: Fragment) -> str:
    return fragment.render()


def _urlconf() -> str:
    return get_urlconf() or settings.ROOT_URLCONF


# Keyed by the URL conf and the script prefix, the two things a reverse() reads:
# the same address for every request they are the same for.
@lru_cache(maxsize=16)
def _links(urlconf: str, prefix: str) -> LayoutLinks:
    return LayoutLinks(
        dashboard=reverse("home:dashboard"),
        projects=reverse("projects:list"),
        clients=reverse("projects:client-list"),
        rates=reverse("finance:rates"),  # a URL name may name a layer above
        people=reverse("planning:people"),
        undelivered_mail=reverse("projects:undelivered-mail"),
        notifications=reverse("collab:notifications"),
        portal=reverse("portal:home"),
        settings=reverse("accounts:settings"),
        password_change=reverse("accounts:password-change"),
        logout=reverse("accounts:logout"),
        language=reverse("accounts:language"),
        organization_switch=reverse("projects:organization-switch"),
        search=reverse("home:search"),
        portal_search=reverse("portal:search"),
    )


@lru_cache(maxsize=256)
def _project_urls(url_name: str, urlconf: str, prefix: str) -> RowUrls:
    return RowUrls(url_name)


@lru_cache(maxsize=16)
def _other_languages(active: str | None) -> tuple[Language, ...]:
    languages = (get_language_info(code) for code, _name in settings.LANGUAGES)
    return tuple(
        Language(info["code"], info["name_local"]) for info in languages if info["code"] != active
    )
