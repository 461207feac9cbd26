"""The bench's documents on the tiny data set: the rows, and each documents
scenario answered once (its timing is `make bench`'s)."""

from liaison.bench.data import CLIENT_EMAIL, MANAGER_EMAIL, PASSWORD, TINY, build
from liaison.bench.runner import Session, measure
from liaison.bench.scenarios import SCENARIOS
from liaison.documents.models import Document, DocumentVersion

NAMES = {"documents_list", "document_page", "portal_documents"}


def test_the_documents_scenarios_answer_on_the_tiny_data_set(
    transactional_db, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    build(TINY)
    assert Document.objects.count() == TINY.bench_documents
    assert DocumentVersion.objects.count() == TINY.bench_document_versions
    assert not Document.objects.filter(latest__isnull=True).exists()
    sessions = {}
    for who, email in (("manager", MANAGER_EMAIL), ("client", CLIENT_EMAIL)):
        sessions[who] = Session(live_server.url)
        sessions[who].login(email, PASSWORD)
    scenarios = [s for s in SCENARIOS if s.name in NAMES]
    assert {s.name for s in scenarios} == NAMES
    for scenario in scenarios:
        row = measure(sessions[scenario.who], scenario, warmup=0, timed=1)
        assert row["requests"] == 1, scenario.name
