"""`make screenshots`: the pages people live in, on the demo data, at a desk's
width (1280 px) and a phone's (390 px), in English and in 简体中文, written to
docs/screenshots/ for the README. Serves the development database with
`runserver` on a free loopback port and drives Chromium through Playwright."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.models import User
from liaison.core.processes import CHROMIUM_ARGS, free_port, running, wait_for
from liaison.demo.load import PASSWORD

# (file name, who, path): the Gantt, the board, the dashboard, a search and the
# client's overview of the demo's main project.
SHOTS = [
    ("gantt", "pm@demo.test", "/p/ACME-WMS/plan/"),
    ("board", "pm@demo.test", "/p/ACME-WMS/board/"),
    ("dashboard", "pm@demo.test", "/"),
    ("search", "pm@demo.test", "/search/?q=scanner"),
    ("portal", "client@demo.test", "/portal/p/ACME-WMS/"),
]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = {"en": "en", "zh": "zh-hans"}


class Command(BaseCommand):
    help = "Screenshots of the main pages on the demo data, in both languages."

    def handle(self, *args, **options):
        from playwright.sync_api import sync_playwright

        people = {email for _, email, _ in SHOTS}
        saved = dict(User.objects.filter(email__in=people).values_list("email", "language"))
        if len(saved) != len(people):
            raise CommandError("No demo data: run `make demo` first.")
        out = Path(settings.BASE_DIR) / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        port = free_port()
        server = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        try:
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            with running(server, cwd=settings.BASE_DIR, **quiet) as process:
                wait_for(port, process)
                for suffix, language in LANGUAGES.items():
                    # Each person reads in their saved language: set it for the run
                    # (outside Playwright's event loop, where the ORM may not run).
                    User.objects.filter(email__in=people).update(language=language)
                    with sync_playwright() as play:
                        browser = play.chromium.launch(
                            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                        )
                        self._shoot(browser, f"http://127.0.0.1:{port}", suffix, out)
                        browser.close()
        finally:
            for email, language in saved.items():
                User.objects.filter(email=email).update(language=language)
        self.stdout.write(f"Written to {out}")

    def _shoot(self, browser, base: str, suffix: str, out: Path) -> None:
        for width_name, (width, height) in WIDTHS.items():
            for email in dict.fromkeys(email for _, email, _ in SHOTS):
                context = browser.new_context(
                    base_url=base, viewport={"width": width, "height": height}
                )
                page = context.new_page()
                page.goto("/accounts/login/")
                page.fill("#id_email", email)
                page.fill("#id_password", PASSWORD)
                page.click("button.btn--primary[type=submit]")
                page.wait_for_load_state("networkidle")
                for name, who, path in SHOTS:
                    if who != email:
                        continue
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{suffix}-{width_name}.png"
                    page.screenshot(path=str(target))
                    self.stdout.write(f"  {target.name}")
                context.close()
