"""URLs for the rows of a list, reversed once per list.

reverse() matches the URL conf and quotes every argument, some 25 µs a call:
a list of 100 tasks with two links a row pays 5 ms for them. The rows share one
URL shape, so RowUrls reverses it once with a marker where each row's own value
goes (the last argument), and a row costs a string join. Values are quoted as
reverse() quotes them; they are keys and numbers our own rows hold."""

from urllib.parse import quote

from django.urls import reverse

# Digits match every converter our URLs use (int, str, slug), and no URL of ours
# holds this run of them otherwise.
MARKER = "7301948265173"
# What reverse() leaves unquoted in a path argument, but "/": one value is one segment.
SAFE = "!$&'()*+,;=~:@"


class RowUrls:
    """RowUrls("planning:task", code)(key) is reverse("planning:task", args=[code, key])."""

    # A template holds it as a value: {{ task_urls|row:key }} calls it, not {{ task_urls }}.
    do_not_call_in_templates = True

    def __init__(self, viewname: str, *args: object) -> None:
        url = reverse(viewname, args=[*args, MARKER])
        self.prefix, marker, self.suffix = url.partition(MARKER)
        assert marker and MARKER not in self.suffix, f"{viewname}: {url}"

    def __call__(self, value: object) -> str:
        return f"{self.prefix}{quote(str(value), safe=SAFE)}{self.suffix}"
