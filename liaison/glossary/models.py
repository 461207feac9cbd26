"""A project's glossary: its terms with plain-language definitions, in English
and Chinese where given, which the client reads in the portal and finds
explained wherever they appear in the project's client-visible text."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ClientVisibleQuerySet, VersionedModel


class Term(VersionedModel):
    """One term ("WMS", "电子病历"): its name and definition in either language
    or both (at least one name and one definition), other names that mark it
    too ("advance shipping notice" for ASN), and whether the client sees it."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(_("term"), max_length=200, blank=True)
    term_zh = models.CharField(_("term in Chinese"), max_length=200, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    definition_zh = models.TextField(_("definition in Chinese"), blank=True)
    aliases = models.CharField(_("other names"), max_length=500, blank=True)
    client_visible = models.BooleanField(_("shown to the client"), default=True)

    objects = ClientVisibleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "project",
                Lower("term"),
                condition=~models.Q(term=""),
                name="glossary_term_unique_per_project",
            ),
            models.UniqueConstraint(
                "project",
                Lower("term_zh"),
                condition=~models.Q(term_zh=""),
                name="glossary_term_zh_unique_per_project",
            ),
        ]

    def __str__(self) -> str:
        return self.term or self.term_zh

    @property
    def alias_list(self) -> list[str]:
        """The other names, as typed between commas (either language's)."""
        return alias_split(self.aliases)


def alias_split(text: str) -> list[str]:
    names = (
        " ".join(name.split()) for name in text.replace("，", ",").replace("、", ",").split(",")
    )
    return [name for name in names if name]
