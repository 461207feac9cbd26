"""Print the link that opens the first-run page, while no organization exists.

`make run` and the systemd unit call it at start, so whoever starts a fresh
instance sees where to go; on a set-up instance it prints nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from liaison.accounts.organization_services import setup_token_create


class Command(BaseCommand):
    help = (
        "While no organization exists, print a one-time link to the page that "
        "creates the organization and its owner account; otherwise print nothing."
    )

    def handle(self, *args, **options) -> None:
        secret = setup_token_create()
        if secret is None:
            return
        url = f"{settings.SITE_URL}{reverse('setup:first-run')}?token={secret}"
        # A fixed English line (like Django's own commands): scripts look for it.
        self.stdout.write(f"Open {url} to create your organization and its owner account.")
