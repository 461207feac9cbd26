from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "liaison.changes"
    label = "changes"

    def ready(self) -> None:
        from liaison.changes.search_sources import SOURCES as search_sources
        from liaison.core.registry import registry as search_registry

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        from django.utils.translation import gettext_lazy as _

        from liaison.changes import portal_urls
        from liaison.changes.models import ChangeRequest
        from liaison.changes.report_section import SECTION as report_section
        from liaison.changes.selectors.change_requests import change_status_counts
        from liaison.core.registry import (
            ClientDecision,
            OverviewCard,
            PortalTab,
            ProjectLink,
            registry,
        )

        registry.add(
            ProjectLink(_("Changes"), "changes:list", order=40),
            PortalTab(_("Changes"), "portal:changes", order=30, urls=portal_urls.urlpatterns),
            ClientDecision(
                "changes",
                order=30,
                waiting=lambda projects: (
                    ChangeRequest.objects.filter(
                        project__in=projects,
                        client_visible=True,
                        status=ChangeRequest.Status.AWAITING_CLIENT,
                    )
                    .select_related("project")
                    .only("pk", "key", "title", "sent_at", "project__code", "project__name")
                    .order_by("sent_at", "id")
                ),
                template="changes/_client_decision.html",
            ),
            OverviewCard(
                "changes",
                order=20,
                template="changes/_overview_card.html",
                context=lambda request, project, audience: {
                    "changes": change_status_counts(project=project, audience=audience)
                },
            ),
            report_section,
        )
        registry.add_events(
            {
                "change.requested": "request",
                "change.plan_changed": "request",  # the client could not approve: send it again
                "change.decided": "answer",
                "change.declined": "answer",
                "change.request_withdrawn": "answer",
                "change.withdrawn": "status",
                "change.implemented": "status",
            }
        )
