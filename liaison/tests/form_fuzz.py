"""The form fuzz's framework; test_form_fuzz.py beside it finds the pages and
runs it (docs/architecture.md, Testing).

**The forms of a page** (`forms_in`): every `<form method="post">`, with its
controls (and those outside it that name it with `form="…"`), the submit
buttons that carry a value, the CSRF token it holds, and whether HTMX posts it
(`hx-post` on the form or on an element around it); and every other element
with an `hx-post` of its own (a preview), with what its `hx-include` sends.

**What is sent**: the form as the page filled it (`as_rendered`), every
control at its most hostile at once (`extremes`), then `submissions`: for each
control, a value the page allows
(one of a select's options, a number in the input's range, a date near the
pinned today, what the page put in a hidden field), a hostile one (empty,
blank, over-long, NUL and other control characters, astral and bidi Unicode, a
number as words, a huge or negative number, an impossible date, an unknown
choice, a stale or absurd version, an address on another site) or nothing at
all. A third of the submissions are valid throughout, a third break one
control, a third anything.

**What must come back** (`problems`). "A message beside the field" means, in
this codebase's templates (core/_field.html, core/_form.html and the forms laid
out by hand, which follow them):
- a field's message is an element with class `field__error` holding text whose
  field group, its nearest ancestor that is an element with class `field`, a
  `<fieldset>`, a table row or the form (in an HTMX fragment: the fragment),
  holds a visible control (an input that is not hidden, a select, a text area,
  a button); or that a control names in `aria-describedby`;
- a message about the whole form is a `form-errors` block, a `message--error`
  or any `role="alert"` holding text;
- a field group marked in error (`field--error`) holds its `field__error`.

So: never a 5xx. A 3xx stays on this site, and the page it leads to renders
(a redirect is how a form here says it saved; a refusal that redirects says
why in a flash message, a success may say it in the page's own words, as the
password reset's "sent" page does, so no message is asked of it).
A 200, 400, 409, 422 or 429 (too many sign-in attempts) is the form again:
every `field__error` on it sits beside a control, and it shows a message,
unless it is a 200 that saved something (a write to the database), says it did
(a `message--success`), answers a preview (it shows, never saves) or is an HTMX
fragment answering the form sent back as the page filled it (nothing changed,
nothing to say). A 403 or 404 gives its
reason (the error page's card). Any other status is a failure."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

import tinyhtml5
from django.urls import Resolver404, resolve
from hypothesis import strategies as st

# -- the forms of a page --------------------------------------------------------------

CONTROLS = ("input", "select", "textarea", "button")
CLICKED = ("submit", "image")  # inputs a browser sends only when they are clicked
UNSENT = ("reset", "button")  # inputs a browser never sends


@dataclass(frozen=True)
class Control:
    """One named control (a radio group, a group of check boxes or of submit
    buttons of one name is one control), as the page rendered it."""

    name: str
    kind: str  # an input's type, or select, textarea, submit (a button with a value)
    default: tuple[str, ...] = ()  # what the browser sends when nobody touches it
    required: bool = False
    maxlength: int | None = None
    low: str | None = None  # min
    high: str | None = None  # max
    options: tuple[str, ...] = ()  # a select's, radio group's or check box group's values
    multiple: bool = False


@dataclass
class Form:
    """A `<form method="post">` of a page."""

    page: str  # the path of the page that shows it
    action: str  # the path it posts to, resolved against the page
    action_name: str  # that path's URL name ("" when none resolves)
    htmx: bool
    multipart: bool = False
    preview: bool = False  # an element that is not a form posts it: it shows, never saves
    controls: dict[str, Control] = field(default_factory=dict)
    csrf: str = ""  # the token the form holds ("" when it holds none)
    htmx_csrf: str = ""  # the token HTMX sends with it, from <body hx-headers> (base.html)

    @property
    def key(self) -> str:
        """What tells one form from another: where it posts, how, and what it
        sends (the same form on several pages, or on several rows, is one)."""
        names = ",".join(sorted(self.controls))
        return f"{self.action_name or self.action}{' (htmx)' if self.htmx else ''} [{names}]"

    @property
    def as_rendered(self) -> dict[str, list[str]]:
        """What the browser sends when nobody touches the form (the first
        submit button clicked)."""
        return {name: list(c.default) for name, c in self.controls.items() if c.default}


def _tag(element: Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


def parse_html(html: str) -> Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


def parents_of(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


def ancestors(element: Element, parents: dict[Element, Element]) -> Iterator[Element]:
    while element in parents:
        element = parents[element]
        yield element


def text_of(element: Element) -> str:
    return "".join(element.itertext()).strip()


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _option_values(select: Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A select's option values, and those selected (the first when none is)."""
    found = [o for o in select.iter() if _tag(o) == "option" and o.get("disabled") is None]
    values = tuple(o.get("value", text_of(o)) for o in found)
    chosen = tuple(o.get("value", text_of(o)) for o in found if o.get("selected") is not None)
    if not chosen and values and select.get("multiple") is None:
        chosen = values[:1]
    return values, chosen


def _control(element: Element) -> Control | None:
    tag, name = _tag(element), element.get("name")
    if not name or element.get("disabled") is not None:
        return None
    kind = element.get("type", "text").lower() if tag == "input" else tag
    if tag == "button":
        kind = element.get("type", "submit").lower()
    if kind in UNSENT:
        return None
    value, options, default = element.get("value", ""), (), ()
    if kind in CLICKED:
        kind, options, default = "submit", (value,), (value,)
    elif kind in ("checkbox", "radio"):
        value = element.get("value", "on")
        options, default = (value,), (value,) if element.get("checked") is not None else ()
    elif tag == "select":
        options, default = _option_values(element)
    elif kind != "file":
        default = ((element.text or "") if tag == "textarea" else value,)
    return Control(
        name=name,
        kind=kind,
        default=default,
        required=element.get("required") is not None,
        maxlength=_number(element.get("maxlength")),
        low=element.get("min"),
        high=element.get("max"),
        options=options,
        multiple=element.get("multiple") is not None,
    )


def _merge(found: dict[str, Control], control: Control) -> None:
    """Radio buttons, check boxes and submit buttons of one name are one
    control with several values; a browser sends the first button's value when
    the form is submitted with Enter."""
    before = found.get(control.name)
    if before is None:
        found[control.name] = control
        return
    default = before.default + control.default
    if control.kind in ("radio", "submit"):
        default = before.default or control.default
    found[control.name] = Control(
        name=control.name,
        kind=before.kind,
        default=default,
        required=before.required or control.required,
        options=before.options + control.options,
        multiple=before.multiple or control.kind == "checkbox",
    )


def _controls_of(form: Element, root: Element) -> list[Element]:
    inside = [e for e in form.iter() if _tag(e) in CONTROLS and e.get("form") is None]
    named = form.get("id")
    outside = [e for e in root.iter() if named and _tag(e) in CONTROLS and e.get("form") == named]
    return inside + outside


def url_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


def _htmx_csrf(root: Element) -> str:
    body = root.find("body")
    headers = body.get("hx-headers") if body is not None else None
    return json.loads(headers).get("X-CSRFToken", "") if headers else ""


def _form(page: str, action: str, htmx: bool, controls: list[Element], root: Element) -> Form:
    form = Form(page, action, url_name(action), htmx, htmx_csrf=_htmx_csrf(root) if htmx else "")
    for control in filter(None, map(_control, controls)):
        if control.name == "csrfmiddlewaretoken":
            form.csrf = control.default[0]
        else:
            _merge(form.controls, control)
    return form


def _included(element: Element, root: Element, parents: dict[Element, Element]) -> list[Element]:
    """What HTMX sends with an hx-post that is not a form: the controls of
    its hx-include ("closest form", "this"), and the element if it is one."""
    include = element.get("hx-include", "")
    around = next((e for e in ancestors(element, parents) if _tag(e) == "form"), None)
    if include == "closest form" and around is not None:
        return _controls_of(around, root)
    inside = [e for e in element.iter() if _tag(e) in CONTROLS]
    return inside if include == "this" else [element] if _tag(element) in CONTROLS else []


def forms_in(html: str, page: str) -> list[Form]:
    """The `<form method="post">` elements of the page at `page`, then the
    other elements that post through HTMX (an input's preview) to somewhere
    no form posts."""
    root = parse_html(html)
    parents = parents_of(root)
    found = []
    for element in root.iter():
        if _tag(element) != "form" or element.get("method", "get").lower() != "post":
            continue
        action = urljoin(page, element.get("action") or page)
        htmx = any(e.get("hx-post") for e in [element, *ancestors(element, parents)])
        form = _form(page, action, htmx, _controls_of(element, root), root)
        form.multipart = element.get("enctype", "") == "multipart/form-data"
        found.append(form)
    actions = {form.action for form in found}
    for element in root.iter():
        action = urljoin(page, element.get("hx-post") or "")
        if _tag(element) != "form" and element.get("hx-post") and action not in actions:
            preview = _form(page, action, True, _included(element, root, parents), root)
            preview.preview = True
            found.append(preview)
    return found


# -- what is sent ---------------------------------------------------------------------------

MISSING = None  # a control left out of the request altogether
LONG = "Lorem ipsum dolor sit amet. " * 400  # ~11,000 characters
HOSTILE_TEXT = (
    "",
    " ",
    " \t\r\n ",
    "\x00",
    "name\x00with a NUL",
    "\x01\x02\x1b[31m\x7f\x9f",
    "\u202eevil\u202c \u2066isolate\u2069",
    "\U0001d54f\U0001f600\U00010348 astral",
    "\ufeff\u200b\u200d zero width",
    "Ｆｕｌｌ ｗｉｄｔｈ　全角",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }} {% debug %} %(x)s %s",
    "\r\nInjected: header",
    LONG,
)
HOSTILE_NUMBERS = (
    "-1",
    "0",
    "9" * 40,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "NaN",
    "-Infinity",
    "1.5",
    "1,5",
    "0x1F",
    "١٢",
    "１２",
    "seven",
)
HOSTILE_DATES = (
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "10000-01-01",
    "0000-00-00",
    "2026/11/18",
    "18.11.2026",
    "tomorrow",
    "2026-11-18T25:61",
    "2026-11-18T10:00+20:45",
)
HOSTILE_CHOICES = ("not-a-choice", "999999999", "-1", "0", str(2**63))
HOSTILE_ADDRESSES = (  # where a redirect or a webhook must never go
    "https://evil.invalid/",
    "//evil.invalid/path",
    "/\r\nSet-Cookie: injected=1",
    "/\\evil.invalid",
    "javascript:alert(1)",
    "http://user:pass@127.0.0.1/",
    "http://[::1]:80/",
    "http://127.0.0.1:99999/",
    "ftp://127.0.0.1/",
    "http://evil.invalid/" + "a" * 600,
)
VALID_ADDRESSES = ("http://127.0.0.1:9/hook", "https://127.0.0.1/in")  # WEBHOOK_ALLOWED_HOSTS
DATES = ("date", "datetime-local")
NUMBERS = ("number", "range")
CHOICES = ("select", "radio", "checkbox", "submit")

PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)  # control characters too


def _short_text(control: Control) -> st.SearchStrategy[str]:
    longest = min(control.maxlength or 80, 80)
    return st.text(PRINTABLE, min_size=1 if control.required else 0, max_size=longest)


def _valid(control: Control, today: dt.date) -> st.SearchStrategy[list[str]]:
    """A value the page allows."""
    kind, default = control.kind, list(control.default)
    if kind == "hidden" or (kind in CHOICES and not control.options):
        return st.just(default)
    if kind in ("select", "radio", "submit") and not control.multiple:  # the button clicked
        return st.sampled_from(control.options).map(lambda value: [value])
    if kind in CHOICES:
        return st.lists(st.sampled_from(control.options), unique=True, max_size=4)
    if kind in NUMBERS:
        low, high = _number(control.low), _number(control.high)
        low = -1000 if low is None else low
        numbers = st.integers(low, 10_000 if high is None else high)
        return numbers.map(lambda number: [str(number)])
    if kind in DATES:
        days = st.integers(-400, 400).map(lambda n: today + dt.timedelta(days=n))
        if kind == "datetime-local":
            return days.map(lambda day: [f"{day.isoformat()}T10:30"])
        return days.map(lambda day: [day.isoformat()])
    if kind == "email":
        names = st.from_regex(r"\A[a-z]{1,12}(\.[a-z]{1,8})?\Z")
        return names.map(lambda name: [f"{name}@test.example"])
    if kind == "url":
        return st.sampled_from(VALID_ADDRESSES).map(lambda address: [address])
    return st.one_of(st.just(default), _short_text(control).map(lambda text: [text]))


def _hostile(control: Control) -> st.SearchStrategy[list[str]]:
    """A value the page does not allow, or one no column can hold."""
    kind = control.kind
    values: list[str] = list(HOSTILE_TEXT)
    if kind in NUMBERS or control.name == "version":
        values += HOSTILE_NUMBERS
    if control.name == "version" and control.default[:1] != ("",):
        current = _number(control.default[0] if control.default else None) or 1
        values += [str(current - 1), str(current + 1)]  # stale, and one nobody has seen yet
    if kind in DATES:
        values += HOSTILE_DATES
    if kind in CHOICES:
        values += HOSTILE_CHOICES + tuple(f"{option} " for option in control.options[:2])
    if kind in ("url", "hidden") or control.name in ("next", "url"):
        values += HOSTILE_ADDRESSES
    if control.maxlength:
        values += ["x" * (control.maxlength + 1), "\U0001d54f" * control.maxlength]
    single = st.sampled_from(values).map(lambda value: [value])
    twice = st.lists(st.sampled_from(values), min_size=2, max_size=3)  # one name, many values
    return st.one_of(single, single, single, twice, ANY_TEXT.map(lambda text: [text]))


@dataclass(frozen=True)
class Upload:
    """A file a file input sends."""

    name: str
    content: bytes


UPLOAD_NAMES = (
    "notes.txt",
    "requirements.xlsx",
    "requirements.csv",
    "../../etc/passwd",
    "a" * 300 + ".txt",
    "\u202etxt.exe",
    "名字.txt",
    ".htaccess",
    "no extension",
)
UPLOAD_CONTENTS = (b"", b"Notes from the call\n", b"title\nScan labels\n", b"PK\x03\x04")


def _upload() -> st.SearchStrategy[Upload]:
    contents = st.one_of(st.sampled_from(UPLOAD_CONTENTS), st.binary(max_size=2000))
    return st.builds(Upload, st.sampled_from(UPLOAD_NAMES), contents)


@dataclass(frozen=True)
class Submission:
    """What one example sends: each control's values (a control absent is not
    sent), and whether that is the form exactly as the page filled it."""

    data: dict[str, list[str] | Upload]
    as_rendered: bool

    def describe(self) -> str:
        def shown(value: object) -> str:
            text = repr(value)
            return text if len(text) <= 120 else text[:100] + f"… ({len(text)} characters)"

        return ", ".join(f"{name}={shown(value)}" for name, value in self.data.items())


def as_rendered(form: Form) -> Submission:
    """The form sent as the page filled it."""
    return Submission(dict(form.as_rendered), as_rendered=True)


def extremes(form: Form) -> Submission:
    """Every control at once given what most often breaks where it is stored:
    text with a NUL, a number or a choice past any column, the last day a date
    can have, a file whose name holds a NUL; the first submit button."""
    data: dict[str, list[str] | Upload] = {}
    for name, control in form.controls.items():
        if control.kind == "submit":
            data[name] = list(control.options[:1])
        elif control.kind == "file":
            data[name] = Upload("notes\x00.txt", b"Notes")
        elif control.kind in NUMBERS or control.kind in CHOICES:
            data[name] = [str(2**63)]
        elif control.kind in DATES:
            data[name] = ["9999-12-31"]
        else:
            data[name] = ["Text\x00with a NUL"]
    return Submission(data, as_rendered=False)


@st.composite
def submissions(draw: st.DrawFn, form: Form, today: dt.date) -> Submission:
    """A third valid throughout, a third with one control broken (hostile or
    left out), a third anything."""
    names = list(form.controls)
    mode = draw(st.sampled_from(("valid", "one", "any")))
    broken = draw(st.sampled_from(names)) if names and mode == "one" else None
    data: dict[str, list[str] | Upload] = {}
    for name, control in form.controls.items():
        valid: st.SearchStrategy[Any]
        if control.kind == "file":  # the uploads are plausible and hostile in one
            valid = hostile = _upload()
        else:
            valid, hostile = _valid(control, today), _hostile(control)
        if mode == "any":
            values = draw(st.one_of(valid, valid, hostile, st.none()))
        elif name == broken:
            values = draw(st.one_of(hostile, hostile, st.none()))
        else:
            values = draw(valid)
        if values is not MISSING:
            data[name] = values
    sent = {name: values for name, values in data.items() if values != []}
    return Submission(sent, as_rendered=sent == form.as_rendered)


# -- what must come back -------------------------------------------------------------------

REDIRECTS = (301, 302, 303, 307, 308)
RE_RENDERED = (200, 400, 409, 422, 429)  # the form (or its fragment) again, with its messages
REFUSED = (403, 404)  # the error page, with its reason
GROUPS = ("fieldset", "tr", "form")  # what holds a field, besides an element of class `field`
MARKED = re.compile(r"field__error|field--error|form-errors|message--|role=.?alert")


@dataclass
class Answer:
    """What one submission got back."""

    status: int
    html: str = ""  # the body, when it is HTML
    location: str = ""  # a redirect's
    followed: int = 0  # the status of the page the redirect leads to
    followed_html: str = ""
    wrote: tuple[str, ...] = ()  # the tables the request wrote to (sessions aside)
    error: str = ""  # the exception behind a server error


def _visible_control(element: Element) -> bool:
    """An input that is not hidden, a select, a text area or a button (a row's
    action is its buttons)."""
    tag = _tag(element)
    if tag in ("select", "textarea", "button"):
        return True
    return tag == "input" and element.get("type", "text").lower() != "hidden"


def _group(element: Element, parents: dict[Element, Element]) -> Element | None:
    for around in ancestors(element, parents):
        if "field" in classes(around) or _tag(around) in GROUPS:
            return around
    return None


@dataclass
class Messages:
    """The messages a page shows, those of its field messages that are not
    beside any field, and whether it is an HTMX fragment."""

    shown: list[str] = field(default_factory=list)
    astray: list[str] = field(default_factory=list)
    success: bool = False
    fragment: bool = False


def _is_fragment(html: str) -> bool:
    """An HTMX fragment rather than a page."""
    return not html.lstrip()[:20].lower().startswith(("<!doctype", "<html"))


def _parse_answer(html: str) -> Element:
    """The answer's tree; table rows are parsed inside a table, where HTMX
    swaps them."""
    if _is_fragment(html) and html.lstrip()[:3].lower() == "<tr":
        html = f"<table><tbody>{html}</tbody></table>"
    return parse_html(html)


def messages(html: str) -> Messages:
    """The error messages of a page or fragment (the module's doc says which),
    and whether it says something was saved. A fragment is one field group:
    what HTMX swaps in is where the field is."""
    fragment = _is_fragment(html)
    if not MARKED.search(html):  # no message of any kind: no need to parse the page
        return Messages(fragment=fragment)
    root = _parse_answer(html)
    parents = parents_of(root)
    described = {
        name
        for element in root.iter()
        if _visible_control(element)
        for name in element.get("aria-describedby", "").split()
    }
    found = Messages(fragment=fragment)
    for element in root.iter():
        kinds = classes(element)
        text = text_of(element)
        if "message--success" in kinds:
            found.success = True
        if "field--error" in kinds and not any(
            "field__error" in classes(inner) and text_of(inner) for inner in element.iter()
        ):
            found.astray.append(f"a field marked in error without its message: {text[:80]!r}")
        if not text:
            continue
        if "field__error" in kinds:
            found.shown.append(text)
            group = _group(element, parents) or (root if fragment else None)
            beside = group is not None and any(_visible_control(e) for e in group.iter())
            if not (beside or element.get("id", "") in described):
                found.astray.append(f"a message beside no field: {text[:80]!r}")
        elif kinds & {"form-errors", "message--error"} or element.get("role") == "alert":
            found.shown.append(text)
    return found


def local(location: str) -> bool:
    """A redirect that stays on this site: a path, with no scheme or host (nor
    a browser's way to reach one: //host, /\\host)."""
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
    )


def problems(submission: Submission, answer: Answer, *, preview: bool = False) -> list[str]:
    """What is wrong with `answer` to `submission` (the module's doc); a
    preview saves nothing, so its answer needs no message."""
    status = answer.status
    if status >= 500:
        return [f"server error {status}: {answer.error}"]
    if status in REDIRECTS:
        if not local(answer.location):
            return [f"{status} to another site: {answer.location!r}"]
        if answer.followed >= 500:
            return [f"the page the redirect leads to ({answer.location}) answers {answer.followed}"]
        return []
    if status in REFUSED:
        reason = messages(answer.html).shown or _error_card(answer.html)
        return [] if reason else [f"{status} without a reason"]
    if status not in RE_RENDERED:
        return [f"a status no form answers: {status}"]
    found = messages(answer.html)
    if found.astray:
        return found.astray
    if found.shown:
        return []
    if status != 200:
        return [f"{status} without a message"]
    if preview or answer.wrote or found.success or (submission.as_rendered and found.fragment):
        return []
    return ["the form came back without a message, and nothing was saved"]


def _error_card(html: str) -> str:
    root = parse_html(html)
    cards = [e for e in root.iter() if "error-page" in classes(e)]
    return text_of(cards[0]) if cards else ""
