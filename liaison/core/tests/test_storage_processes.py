"""Several web processes on one database and one bucket (README "Storage"): a
file uploaded through one gunicorn is downloaded through another, on another
port, as behind a load balancer. Real processes (`manage.py serve`'s gunicorn,
liaison/tests/processes.py) and a real S3 server (moto, liaison/tests/s3.py);
seconds long, so marked `faults` like the other real-process tests."""

import datetime as dt
import http.client
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.sessions.models import Session

from conftest import NOW
from liaison.collab.models import Attachment
from liaison.communication.tests.factories import interaction_row
from liaison.tests.processes import WAIT, Gunicorn, Install

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.7\n" + b"scope of the pilot\n" * 2000 + b"%%EOF\n"


def _request(server: Gunicorn, method: str, path: str, session: str, body=b"", headers=None):
    link = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        link.request(
            method, path, body=body, headers={"Cookie": f"sessionid={session}", **(headers or {})}
        )
        response = link.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        link.close()


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_file_uploaded_through_one_web_process_downloads_through_another(
    tmp_path, login, project, member, s3_bucket
):
    interaction = interaction_row(project, client_visible=True)
    session = login(member).cookies["sessionid"].value
    # The servers keep the real clock, past the tests' pinned one.
    Session.objects.filter(session_key=session).update(expire_date=NOW + dt.timedelta(days=3650))
    install = Install(tmp_path)
    with ThreadPoolExecutor() as starting:  # both start at once: half the wait
        first, second = starting.map(
            lambda name: Gunicorn(install, name=name, STORAGE_URL=s3_bucket.url),
            ("first", "second"),
        )
    try:
        page = f"/p/{project.code}/communication/{interaction.key}/"
        status, headers, body = _request(first, "GET", page, session)
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        assert token and csrf_cookie
        form, content_type = _multipart(
            {"csrfmiddlewaretoken": token.group(1).decode()}, "scope.pdf", PDF
        )
        status, headers, _ = _request(
            first,
            "POST",
            f"{page}attachments/",
            f"{session}; csrftoken={csrf_cookie.group(1)}",
            body=form,
            headers={"Content-Type": content_type},
        )
        assert status == 302, headers
        ((attachment_id, name),) = install.read(f"SELECT id, file FROM {Attachment._meta.db_table}")
        assert s3_bucket.object_keys() == [name]

        status, headers, body = _request(
            second, "GET", f"/p/{project.code}/attachments/{attachment_id}/", session
        )
        assert status == 200 and body == PDF
        assert headers["Content-Disposition"].startswith('attachment; filename="scope.pdf"')
    finally:
        print(first.stop(), second.stop())  # shown when the test fails
