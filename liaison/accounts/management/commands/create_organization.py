"""Create an organization and its owner account from the command line: the
way to set up an instance without a browser (or a second organization)."""

import os

from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.models import User
from liaison.accounts.organization_services import (
    organization_create_with_owner,
    set_password_link,
)
from liaison.core.services import InvalidInput


class Command(BaseCommand):
    help = (
        "Create an organization with a new owner account. The owner chooses a "
        "password from the printed link, or --password-from-env VAR names an "
        "environment variable holding it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="the organization's name")
        parser.add_argument("--owner-email", required=True, help="the owner's e-mail address")
        parser.add_argument("--owner-name", default="", help="the owner's display name")
        parser.add_argument(
            "--language",
            default=User.Language.ENGLISH,
            choices=User.Language.values,
            help="the owner's language (default: en)",
        )
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="take the owner's password from this environment variable "
            "(never from the command line, where other users could read it)",
        )

    def handle(self, *args, **options) -> None:
        password = self._password(options["password_from_env"])
        try:
            organization, owner = organization_create_with_owner(
                name=options["name"],
                owner_email=options["owner_email"],
                owner_name=options["owner_name"],
                language=options["language"],
                password=password,
            )
        except InvalidInput as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            f"Created the organization {organization.name} ({organization.slug}) "
            f"with {owner.email} as its owner."
        )
        if password is None:
            self.stdout.write(
                f"Open {set_password_link(user=owner)} to choose the owner's password "
                "(the link works once, for a few days; "
                "the sign-in page's 'Forgot your password?' sends a new one)."
            )

    def _password(self, variable: str | None) -> str | None:
        if variable is None:
            return None
        password = os.environ.get(variable, "")
        if not password:
            raise CommandError(f"The environment variable {variable} is not set or empty.")
        return password
