"""Bodies with files larger than MAX_UPLOAD_BYTES are refused before they are
read, with a message rather than "choose a file"."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.collab.models import Attachment
from liaison.communication.models import Interaction
from liaison.core.uploads import size_label
from liaison.requirements.models import ImportJob

XLSX_HEAD = b"PK\x03\x04"


def field_error(response, field_id: str) -> str:
    """The error shown beside the field whose id is `field_id`."""
    page = response.content.decode()
    match = re.search(rf'<div class="field__error" id="{field_id}_error">([^<]*)</div>', page)
    return match[1] if match else ""


def test_a_body_over_the_limit_is_not_read_and_says_why(login, manager, project, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    Interaction.objects.create(
        project=project, key="COM-1", subject="Kick-off", occurred_at=timezone.now()
    )
    client = login(manager)
    big = SimpleUploadedFile("plans.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    response = client.post("/p/OWN/communication/COM-1/attachments/", {"file": big})
    # The interaction's page again, the reason beside the file field.
    assert response.status_code == 200
    assert field_error(response, "attachment-file") == "The file is too large: the limit is 1 MB."
    assert not Attachment.objects.exists()
    workbook = SimpleUploadedFile("reqs.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024))
    response = client.post("/p/OWN/requirements/import/", {"file": workbook})
    assert response.status_code == 200
    assert field_error(response, "id_file") == "The file is too large: the limit is 1 MB."


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


@pytest.mark.parametrize(
    ("size", "label"),
    [(21 * 1024 * 1024, "21 MB"), (1536 * 1024, "1.5 MB"), (200 * 1024, "200 KB")],
)
def test_the_limit_is_said_in_megabytes_or_kilobytes(size, label):
    assert size_label(size) == label


def test_a_file_name_past_the_limit_is_refused_beside_the_field(login, manager, project):
    name = "x" * 101 + ".xlsx"
    upload = SimpleUploadedFile(name, XLSX_HEAD + b"0" * 100)
    response = login(manager).post("/p/OWN/requirements/import/", {"file": upload})
    assert response.status_code == 200
    assert "The file name is too long: at most 100 characters" in field_error(response, "id_file")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "a" + ".v" * 45 + ".xlsx",  # every dot a suffix the storage would keep whole
        "需求清单" * 20 + ".xlsx",  # 80 characters, 245 bytes: past 255 with the path
    ],
)
def test_a_file_name_within_the_limit_is_stored_whatever_it_is(
    login, manager, project, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, XLSX_HEAD + b"0" * 100)
    response = login(manager).post("/p/OWN/requirements/import/", {"file": upload})
    assert response.status_code == 302
    assert ImportJob.objects.get().file.name.endswith(".xlsx")
