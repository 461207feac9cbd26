"""What every service shares: the refusal of bad input (the checks that raise
it are in core.rules)."""


class InvalidInput(ValueError):
    """Input a service refuses, with the field it concerns (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
