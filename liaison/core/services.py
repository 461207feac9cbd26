"""What every service shares: the refusal of bad input (the checks that raise
it are in core.rules)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class InvalidInput(ValueError):
    """Input a service refuses, with the field it concerns (None: the whole form)."""

    def __init__(
        self, message: "StrOrPromise", *, field: str | None = None, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
