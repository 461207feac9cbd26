"""A file over MAX_UPLOAD_BYTES through a real browser: the body is not kept,
yet the CSRF token before the file is read, so the page says the file is too
large, with the limit, beside the file field (not the CSRF failure page)."""

import pytest
from playwright.sync_api import Page, expect

from conftest import NOW
from liaison.accounts.tests.factories import PASSWORD
from liaison.collab.models import Attachment
from liaison.communication.models import Interaction
from liaison.requirements.models import ImportJob

pytestmark = pytest.mark.browser

LIMIT = 100 * 1024  # "100 KB" in the message


def sign_in(page: Page, email: str) -> None:
    # The first page of the session warms the live server up: on a loaded
    # machine it takes longer than the default 5 s.
    page.goto("/accounts/login/", timeout=30_000)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def just_over_the_limit(name: str, head: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": head + b"0" * (LIMIT + 1 - len(head))}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_file_over_the_limit_is_refused_beside_the_field(
    page: Page, project, manager, settings, tmp_path, language
):
    settings.MAX_UPLOAD_BYTES = LIMIT
    settings.MEDIA_ROOT = tmp_path
    manager.language = language
    manager.save()
    Interaction.objects.create(project=project, key="COM-1", subject="Kick-off", occurred_at=NOW)
    sign_in(page, manager.email)
    expect(page.locator("html")).to_have_attribute("lang", language)

    page.goto("/p/OWN/communication/COM-1/")
    page.locator("#attachment-file").set_input_files(
        just_over_the_limit("plans.pdf", b"%PDF-1.7\n", "application/pdf")
    )
    page.locator("#attachments button[type=submit]").click()
    expect(page.locator("#attachment-file_error")).to_contain_text("100 KB")
    expect(page.locator("#attachment-file")).to_have_attribute("aria-invalid", "true")
    assert page.locator("h1").inner_text() != "Forbidden (403)"

    page.goto("/p/OWN/requirements/import/")
    page.locator("#id_file").set_input_files(
        just_over_the_limit(
            "reqs.xlsx",
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_file_error")).to_contain_text("100 KB")
    assert not Attachment.objects.exists() and not ImportJob.objects.exists()
