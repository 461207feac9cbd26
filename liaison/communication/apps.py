from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "liaison.communication"
    label = "communication"

    def ready(self) -> None:
        from liaison.communication.search_sources import SOURCES as search_sources
        from liaison.core.registry import registry as search_registry

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        # Register the periodic reminder job with huey (its consumer only
        # autodiscovers modules named tasks.py).
        from django.utils.translation import gettext_lazy as _

        from liaison.communication import (
            feed,
            jobs,  # noqa: F401
            portal_urls,
        )
        from liaison.communication.portal_views import open_action_items
        from liaison.communication.report_section import SECTION as report_section
        from liaison.communication.selectors.action_items import my_action_items
        from liaison.communication.selectors.plan import client_plan_rows
        from liaison.core.registry import (
            DashboardCard,
            PortalCard,
            PortalTab,
            ProjectLink,
            registry,
        )

        registry.add(
            ProjectLink(_("Communication"), "communication:interactions", order=100),
            ProjectLink(_("Action items"), "communication:action-items", order=110),
            # Also the current tab when writing to the team ("/message/").
            PortalTab(
                _("Conversations"),
                "portal:interactions",
                order=50,
                urls=portal_urls.urlpatterns,
                also_current=("/message/",),
            ),
            # The client's open action items, first on the portal's project page.
            PortalCard(
                "action_items",
                order=10,
                template="communication/portal/_project_card.html",
                context=lambda request, project: {
                    "action_items": open_action_items(project=project, user=request.user)
                },
            ),
            # Who tells the client what, how and how often, beside the overview.
            PortalCard(
                "communication_plan",
                order=50,
                template="communication/portal/_plan_card.html",
                context=lambda request, project: {"plan": client_plan_rows(project=project)},
                column="side",
            ),
            report_section,
            # The person's own open action items, on the team's dashboard.
            DashboardCard(
                "action_items",
                order=10,
                template="communication/_dashboard_card.html",
                context=lambda request: {"action_items": my_action_items(user=request.user)},
            ),
            *feed.SOURCES,
        )
        registry.add_events(
            {
                "action_item.done": "answer",
                "message": "comment",  # a client's message to the team reads like a comment
            }
        )
