"""Bodies with files larger than MAX_UPLOAD_BYTES are refused before they are
read, with a message rather than "choose a file"."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.communication.models import Interaction
from liaison.core.models import Attachment


def test_a_body_over_the_limit_is_not_read_and_says_why(login, manager, project, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    Interaction.objects.create(
        project=project, key="COM-1", subject="Kick-off", occurred_at=timezone.now()
    )
    client = login(manager)
    big = SimpleUploadedFile("plans.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    response = client.post("/p/OWN/communication/COM-1/attachments/", {"file": big})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The file is too large: at most 1 MB." in page
    assert not Attachment.objects.exists()
    workbook = SimpleUploadedFile("reqs.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024))
    response = client.post("/p/OWN/requirements/import/", {"file": workbook})
    assert response.status_code == 200
    assert "The file is too large: at most 1 MB." in response.content.decode()


def test_a_body_under_the_limit_goes_through(login, manager, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Kick-off",
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    small = SimpleUploadedFile("notes.txt", "会议纪要 minutes".encode())
    login(manager).post("/p/OWN/communication/COM-1/attachments/", {"file": small})
    assert Attachment.objects.get().name == "notes.txt"
