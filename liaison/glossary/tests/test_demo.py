"""The demo's glossaries: ten terms on ACME-WMS, each found marked in the
client's pages, and ten on HN-EMR in Chinese, marked for its client too."""

import re

import pytest
from django.urls import reverse

from liaison.accounts.models import User
from liaison.communication.models import Interaction
from liaison.controls.models import Issue
from liaison.demo.load import load_demo
from liaison.glossary.models import Term
from liaison.planning.models import Milestone
from liaison.projects.access import CLIENT
from liaison.reports.models import StatusReport
from liaison.requirements.models import Requirement

MARKED = re.compile(r'<span class="term" tabindex="0" aria-describedby="[^"]+">([^<]*)<')


def _marked_on(http, pages: list[str]) -> set[str]:
    found: set[str] = set()
    for url in pages:
        found |= {word.lower() for word in MARKED.findall(http.get(url).content.decode())}
    return found


def _client_pages(code: str) -> list[str]:
    visible = {"project__code": code, "client_visible": True}
    return [
        *(reverse("portal:requirement", args=[code, key]) for key in
          Requirement.objects.filter(**visible).values_list("key", flat=True)),
        *(reverse("portal:interaction", args=[code, key]) for key in
          Interaction.objects.filter(**visible).values_list("key", flat=True)),
        *(reverse("portal:issue", args=[code, key]) for key in
          Issue.objects.filter(**visible).values_list("key", flat=True)),
        *(reverse("portal:milestone", args=[code, key]) for key in
          Milestone.objects.filter(**visible).values_list("key", flat=True)),
        *(reverse("portal:report", args=[code, number]) for number in
          StatusReport.objects.filter(project__code=code).for_audience(CLIENT)
          .values_list("number", flat=True)),
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_demos_terms_are_explained_where_the_client_reads_them(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    wms = Term.objects.filter(project__code="ACME-WMS")
    emr = Term.objects.filter(project__code="HN-EMR")
    assert wms.count() == emr.count() == 10
    assert emr.exclude(term_zh="").count() == 10 and emr.exclude(term="").count() == 10

    client.force_login(User.objects.get(email="client@demo.test"))
    marked = _marked_on(client, _client_pages("ACME-WMS"))
    names = {
        term.term.lower(): {term.term.lower(), *map(str.lower, term.alias_list)} for term in wms
    }
    missing = [name for name, words in names.items() if not words & marked]
    assert not missing, f"never marked in the client's pages: {missing}"

    client.force_login(User.objects.get(email="doctor@demo.test"))
    marked = _marked_on(client, _client_pages("HN-EMR"))
    assert {"医保", "结算单"} <= marked
