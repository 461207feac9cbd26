from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "liaison.reports"
    label = "reports"

    def ready(self) -> None:
        from liaison.core.registry import registry as search_registry
        from liaison.reports.search_sources import SOURCES as search_sources

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import (
            ClientDecision,
            OverviewCard,
            PortalCard,
            PortalTab,
            ProjectLink,
            registry,
        )
        from liaison.reports import (
            jobs,  # noqa: F401  (the weekly draft job, for huey)
            portal_urls,
        )
        from liaison.reports.models import StatusReport
        from liaison.reports.selectors import latest_client_report, report_list

        registry.add(
            ProjectLink(_("Reports"), "reports:list", order=120),
            PortalTab(_("Reports"), "portal:reports", order=60, urls=portal_urls.urlpatterns),
            ClientDecision(
                "reports",
                order=40,
                waiting=lambda projects: (
                    StatusReport.objects.filter(
                        project__in=projects, status=StatusReport.Status.PUBLISHED
                    )
                    .select_related("project")
                    .defer("data", "summary", "next_steps", "concerns")
                    .order_by("published_at", "id")
                ),
                template="reports/_client_decision.html",
            ),
            OverviewCard(
                "reports",
                order=30,
                template="reports/_overview_card.html",
                context=lambda request, project, audience: {
                    "latest_report": report_list(project=project, audience=audience).first(),
                },
            ),
        )
        # The latest report and, when the manager shares it, its health and why.
        registry.add(
            PortalCard(
                "health",
                order=6,
                template="reports/portal/_health_card.html",
                context=lambda request, project: {"report": latest_client_report(project=project)},
                column="side",
            )
        )
        registry.add_events(
            {
                "report.published": "approval",  # the client is asked to acknowledge it
                "report.acknowledged": "answer",
                "report.drafted": "reminder",  # the manager writes the summary and publishes
            }
        )
