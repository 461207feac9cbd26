from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "liaison.requirements"
    label = "requirements"

    def ready(self) -> None:
        from liaison.core.registry import registry as search_registry
        from liaison.requirements.search_sources import SOURCES as search_sources

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import (
            ClientDecision,
            PortalCard,
            PortalTab,
            ProjectLink,
            registry,
        )
        from liaison.requirements import (
            jobs,  # noqa: F401  (the import jobs, for huey)
            portal_urls,
        )
        from liaison.requirements.models import Baseline
        from liaison.requirements.report_section import SECTION as report_section

        registry.add(
            ProjectLink(_("Requirements"), "requirements:list", order=20),
            ProjectLink(_("Baselines"), "requirements:baselines", order=30),
            PortalTab(
                _("Requirements"), "portal:requirements", order=20, urls=portal_urls.urlpatterns
            ),
            PortalCard("requirements", order=20, template="requirements/portal/_project_card.html"),
            ClientDecision(
                "baselines",
                order=10,
                waiting=lambda projects: (
                    Baseline.objects.filter(project__in=projects, status=Baseline.Status.PROPOSED)
                    .select_related("project", "proposed_by")
                    .order_by("proposed_at", "id")
                ),
                template="requirements/_client_decision.html",
            ),
            report_section,
        )
        registry.add_events(
            {
                "requirement.requested": "request",
                "baseline.decided": "answer",
                "requirement.updated": "status",
                "requirement.status": "status",
            }
        )
