from django.apps import AppConfig


class ControlsConfig(AppConfig):
    """Risks and their contingency plans, issues and defects with escalation, quality
    checks and the client's acceptance tests: what keeps a delivery under control."""

    name = "liaison.controls"
    label = "controls"

    def ready(self) -> None:
        _register_risks()


def _register_risks() -> None:
    """The risk register's link, cards, tab, report section, events and review job."""
    from django.utils.translation import gettext_lazy as _

    from liaison.controls import portal_urls, risk_jobs  # noqa: F401 (risk_jobs: its job)
    from liaison.controls.report_risks import SECTION
    from liaison.controls.selectors.risks import top_risks
    from liaison.core.registry import OverviewCard, PortalTab, ProjectLink, registry

    registry.add(
        ProjectLink(_("Risks"), "controls:risks", order=45),
        PortalTab(_("Risks"), "portal:risks", order=35, urls=portal_urls.risk_urls),
        OverviewCard(
            "risks",
            order=25,
            template="controls/_risk_overview_card.html",
            context=lambda request, project, audience: {
                "risks": top_risks(project=project, audience=audience)
            },
        ),
        SECTION,
    )
    registry.add_events(
        {
            "risk.assigned": "assigned",
            "risk.occurred": "request",  # the team acts on its contingency plan
            "risk.review_due": "reminder",
        }
    )
