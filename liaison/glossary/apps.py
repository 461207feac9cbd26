from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    """A project's terms in plain words: kept by the team, read by the client in
    the portal, and explained wherever they appear in client-visible text."""

    name = "liaison.glossary"
    label = "glossary"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import PortalTab, ProjectLink, TermSource, registry
        from liaison.glossary import portal_urls
        from liaison.glossary.selectors import term_glosses

        registry.add(
            ProjectLink(_("Glossary"), "glossary:terms", order=125),
            PortalTab(_("Glossary"), "portal:glossary", order=90, urls=portal_urls.urlpatterns),
            TermSource("glossary", order=10, terms=term_glosses),
        )
