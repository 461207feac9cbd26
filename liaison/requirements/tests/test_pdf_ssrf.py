"""The baseline PDF never makes the server fetch a URL written in user text."""

import http.server
import threading

import pytest

from conftest import free_port
from liaison.projects.access import TEAM
from liaison.requirements.pdf import baseline_pdf_bytes
from liaison.requirements.tests.factories import agreed_requirement, proposed_baseline


@pytest.fixture
def recording_server():
    """A real HTTP server on loopback that records every path it is asked for."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], requested
    server.shutdown()
    server.server_close()


def test_baseline_pdf_fetches_no_image_from_user_text(project, manager, recording_server):
    port, requested = recording_server
    agreed_requirement(
        project,
        by=manager,
        title="Scan labels",
        body=f"See ![pixel](http://127.0.0.1:{port}/internal-service.png)",
    )
    baseline = proposed_baseline(project)
    pdf = baseline_pdf_bytes(baseline, audience=TEAM)
    assert pdf.startswith(b"%PDF")
    assert requested == []
