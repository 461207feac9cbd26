from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """A project's documents: folders, versions with their hashes, the
    client's uploads and reviews, and the versions a milestone delivers."""

    name = "liaison.documents"
    label = "documents"

    def ready(self) -> None:
        from liaison.core.registry import registry as search_registry
        from liaison.documents.search_sources import SOURCES as search_sources

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        _register()


def _register() -> None:
    """The sidebar link, the overview's card, the portal's tab, card and
    decisions, the milestone pages' delivered documents, and the notification
    events (webhooks take them by name)."""
    from django.utils.translation import gettext_lazy as _

    from liaison.core.registry import (
        ClientDecision,
        MilestoneSection,
        OverviewCard,
        PortalCard,
        PortalTab,
        ProjectLink,
        registry,
    )
    from liaison.documents import portal_urls
    from liaison.documents.selectors import (
        milestone_section,
        overview_context,
        portal_card_context,
        reviews_waiting,
    )
    from liaison.documents.services.client import (
        CLIENT_UPLOADED,
        REVIEW_DECIDED,
        REVIEW_REQUESTED,
    )
    from liaison.documents.services.deliverables import record_accepted

    registry.add(
        ProjectLink(_("Documents"), "documents:list", order=98),
        OverviewCard(
            "documents",
            order=45,
            template="documents/_overview_card.html",
            context=overview_context,
        ),
        PortalTab(_("Documents"), "portal:documents", order=55, urls=portal_urls.urlpatterns),
        PortalCard(
            "documents",
            order=50,
            template="documents/portal/_recent_card.html",
            context=portal_card_context,
        ),
        ClientDecision(
            "documents",
            order=45,
            waiting=reviews_waiting,
            template="documents/portal/_client_decision.html",
        ),
        MilestoneSection(
            "documents",
            order=10,
            template="documents/_milestone_section.html",
            context=milestone_section,
            portal_template="documents/portal/_milestone_section.html",
        ),
    )
    registry.on_milestone_accepted(record_accepted)
    registry.add_events(
        {
            REVIEW_REQUESTED: "approval",  # the client decides
            REVIEW_DECIDED: "answer",
            CLIENT_UPLOADED: "request",  # the team looks at what the client sent
        }
    )
