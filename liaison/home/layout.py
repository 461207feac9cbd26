"""What every page's layout shows (base.html: the top bar, the sidebar).

Every page pays for its layout, so the layout costs what it must and no more
(docs/architecture.md, Pages that stay fast): the facts about the person are
read when a template first asks for them, in two queries (the organizations
come with the roles, access.py; the unread count); the links, the same for
everyone, are reversed once per process; a project's links join its code to
a prefix and a suffix reversed once per link (core.links.RowUrls)."""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, get_language_info

from liaison.accounts.models import Organization, User
from liaison.collab.selectors import unread_notification_count
from liaison.core.links import RowUrls
from liaison.core.registry import registry
from liaison.projects import access
from liaison.projects.models import Project
from liaison.projects.selectors import current_organization


@dataclass(frozen=True)
class LayoutLinks:
    """The layout's own addresses, the same for every page and person."""

    dashboard: str
    projects: str
    clients: str
    notifications: str
    portal: str
    settings: str
    password_change: str
    logout: str
    language: str
    organization_switch: str


@dataclass(frozen=True)
class Language:
    code: str
    name_local: str


class Layout:
    """The layout's facts, each read the first time a template asks for it:
    an HTMX partial, which draws no layout, reads none of them."""

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

    @property
    def other_languages(self) -> tuple[Language, ...]:
        """The languages to switch to: all but the one the page is in."""
        return _other_languages(get_language())


def project_links(project: Project, path: str, can_manage: bool) -> list[dict]:
    """label, url and whether it is the current page, for each link the
    features register (core.registry.ProjectLink) that the viewer may follow
    (managers' links need `can_manage`)."""
    links = []
    urlconf, prefix = _urlconf(), get_script_prefix()
    for link in registry.project_links:
        if link.managers_only and not can_manage:
            continue
        url = _project_urls(link.url_name, urlconf, prefix)(project.code)
        current = path == url if link.exact else url in path
        links.append({"label": link.label, "url": url, "current": current})
    return links


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
        notifications=reverse("collab:notifications"),
        portal=reverse("portal:home"),
        settings=reverse("accounts:settings"),
        password_change=reverse("accounts:password-change"),
        logout=reverse("accounts:logout"),
        language=reverse("accounts:language"),
        organization_switch=reverse("projects:organization-switch"),
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
