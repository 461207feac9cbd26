"""A status report as a PDF: the download, the reader's language (Chinese
included), the shared body with its chart, and nothing fetched from user text."""

import http.server
import re
import shutil
import subprocess
import threading
import zlib

from django.utils import translation

from conftest import free_port
from liaison.reports.models import StatusReport
from liaison.reports.pdf import report_pdf, report_pdf_html
from liaison.reports.selectors import report_facts_for
from liaison.reports.tests.factories import make_report

Status = StatusReport.Status


def _inflated(pdf: bytes) -> str:
    """The PDF's streams inflated: fonts' names and metadata, not the glyphs."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    out = []
    for stream in streams:
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:  # an embedded font's raw data
            continue
    return b"".join(out).decode("latin-1")


def _pdf_text(pdf: bytes) -> str:
    # poppler's pdftotext: the Makefile's system packages and .ci/run install it.
    assert shutil.which("pdftotext"), "install poppler-utils (make test does)"
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def _assert_pdf(response, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF")
    return response.content


def test_the_team_downloads_a_report(login, project, manager, observer):
    make_report(project, manager, summary="Pilot started")
    for user in (manager, observer):
        pdf = _assert_pdf(login(user).get("/p/OWN/reports/1.pdf"), "OWN-RPT-1.pdf")
        text = _pdf_text(pdf)
        assert "Pilot started" in text and "Draft" in text


def test_the_client_downloads_a_published_report(login, project, manager, client_user):
    make_report(project, manager, status=Status.PUBLISHED)
    pdf = _assert_pdf(login(client_user).get("/portal/p/OWN/reports/1.pdf"), "OWN-RPT-1.pdf")
    assert "Everything went to plan." in _pdf_text(pdf)


def test_a_chinese_reader_gets_a_chinese_pdf(login, project, manager):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    project.name = "仓库管理系统"
    project.save(update_fields=["name"])
    make_report(
        project, manager, title="第 47 周", summary="试点**已经开始**。扫描标签 Scan labels"
    )

    pdf = _assert_pdf(login(manager).get("/p/OWN/reports/1.pdf"), "OWN-RPT-1.pdf")

    assert "NotoSansCJK" in _inflated(pdf)  # the CJK font is embedded
    text = _pdf_text(pdf)
    for expected in ("仓库管理系统", "第 47 周", "已经开始", "Scan labels"):
        assert expected in text


def test_the_pdf_is_written_in_the_language_asked(project, manager):
    report = make_report(project, manager)
    html = report_pdf_html(report, report_facts_for(report), portal=False)
    assert '<html lang="en">' in html
    with translation.override("zh-hans"):
        chinese = report_pdf_html(report, report_facts_for(report), portal=False)
    assert '<html lang="zh-hans">' in chinese
    assert report_pdf(report, language="zh-hans").startswith(b"%PDF")
    assert translation.get_language() == "en"  # the caller's language is left alone


def test_the_pdf_carries_the_header_the_chart_and_the_body(project, manager):
    report = make_report(
        project,
        manager,
        status=Status.PUBLISHED,
        health=StatusReport.Health.AMBER,
        concerns="Scanner stock",
    )
    html = report_pdf_html(report, report_facts_for(report), portal=True)
    header = re.search(r'<div class="header">(.*?)</div>', html, re.S).group(1)
    assert "OWN" in header and "RPT-1" in header and "At risk" in header
    assert report.period_start.isoformat() in header
    assert 'counter(page) " / " counter(pages)' in html
    assert "<svg" in html and "Tasks completed per week" in html
    assert "Scanner stock" in html and "Everything went to plan." in html
    assert "/portal/p/OWN/reports/1/" in html  # the client's copy points to the portal
    assert "Draft" not in html


def test_the_pdf_fetches_nothing_named_in_user_text(project, manager):
    """Markdown images in the summary must not make the server fetch a URL."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        report = make_report(
            project, manager, summary=f"![pixel](http://127.0.0.1:{port}/internal.png)"
        )
        assert report_pdf(report, language="en").startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert requested == []
