"""What test_hostile_content.py calls executable in what the app sends out.

HTML (pages, HTMX fragments, e-mails), parsed with the standard library's
parser (which decodes entities in attribute values as a browser does):
- a <script> that is not one of ours: ours have a src under /static/ (or are
  JSON data, type="application/json", with no src);
- any on* event-handler attribute, or htmx's hx-on;
- a URL attribute (href, src, action, formaction, xlink:href, …) whose value,
  with whitespace and control characters taken out, starts with javascript:,
  vbscript: or data:;
- a style attribute or <style> text with javascript:, expression( or
  behavior:;
- an <iframe>, <frame>, <object>, <embed>, <applet>, <base>, <meta
  http-equiv="refresh"> or <link rel="import">, none of which our templates use;
- srcdoc anywhere.
JSON is parsed; a CSV's cells must not start like a formula, an xlsx holds no
formula cell; an ICS's unfolded lines are all properties (no line broken into
by text); a PDF is read as text (poppler's pdftotext)."""

import csv
import html
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser

from liaison.tests.hostile_payloads import payload_texts

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "codebase",
    "cite",
    "ping",
    "lowsrc",
    "dynsrc",
    "manifest",
}
FOREIGN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
BAD_STYLE = re.compile(r"javascript:|expression\s*\(|behavior\s*:|-moz-binding", re.I)
# What browsers strip from a URL before reading its scheme.
URL_NOISE = re.compile(r"[\x00-\x20\x7f\u200b-\u200d\ufeff]")


def bad_url(value: str) -> bool:
    return URL_NOISE.sub("", value).lower().startswith(BAD_SCHEMES)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        snippet = f"<{tag} {' '.join(f'{n}={v!r}' for n, v in values.items())}>"[:200]
        if tag == "script" and not _our_script(values):
            self.found.append(f"script element: {snippet}")
        if tag in FOREIGN_ELEMENTS:
            self.found.append(f"{tag} element: {snippet}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append(f"meta refresh: {snippet}")
        if tag == "link" and "import" in values.get("rel", "").lower():
            self.found.append(f"link import: {snippet}")
        for name, value in values.items():
            if name.startswith("on") or name.startswith("hx-on") or name == "srcdoc":
                self.found.append(f"attribute {name}: {snippet}")
            elif name in URL_ATTRIBUTES and bad_url(value):
                self.found.append(f"{name} URL: {snippet}")
            elif name == "style" and BAD_STYLE.search(value):
                self.found.append(f"style attribute: {snippet}")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and BAD_STYLE.search(data):
            self.found.append(f"style element: {data[:200]!r}")


def _our_script(values: dict[str, str]) -> bool:
    if "src" in values:
        return values["src"].startswith("/static/")
    return values.get("type", "").lower() == "application/json"


def executable_in_html(markup: str) -> list[str]:
    """What in `markup` could run script (the rules above); [] when nothing."""
    finder = _Finder()
    finder.feed(markup)
    finder.close()
    return finder.found


ICS_LINE = re.compile(r"^[A-Z][A-Z0-9-]*[;:]")


def ics_injections(ics: str) -> list[str]:
    """Unfolded ICS lines that are not a property: text that broke a line."""
    unfolded = re.sub(r"\r\n[ \t]", "", ics)
    return [line[:200] for line in unfolded.split("\r\n") if line and not ICS_LINE.match(line)]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_formulas(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula."""
    return [cell[:200] for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def named(found: str) -> str:
    """The names of the payloads whose marker is in `found` (or "?")."""
    names = [name for name, marker, _text in payload_texts() if marker in found]
    return ", ".join(names) or "?"


# -- what came out, by kind ---------------------------------------------------------


@dataclass
class Seen:
    """What came out: the executable bits (by where) and all text, for markers."""

    findings: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    rendered: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=dict)

    def html(self, where: str, content: str) -> None:
        self.findings += [
            f"{where}: payload {named(bad)}: {bad}" for bad in executable_in_html(content)
        ]
        self.texts.append(html.unescape(content))


def check_response(seen: Seen, where: str, response) -> None:
    content_type = response.get("Content-Type", "").split(";")[0]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type in ("text/html", "image/svg+xml"):
        seen.html(where, body.decode())
    elif content_type == "application/json":
        seen.texts.append(json.dumps(json.loads(body), ensure_ascii=False))
    elif content_type == "application/pdf":
        seen.texts.append(_pdf_text(body))
    elif content_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        seen.findings += [
            f"{where}: payload {named(cell)}: formula {cell!r}" for cell in csv_formulas(rows)
        ]
        seen.texts.append(body.decode("utf-8-sig"))
    elif content_type.endswith("spreadsheetml.sheet"):
        _check_xlsx(seen, where, body)
    elif content_type == "text/plain":  # an attachment, as uploaded
        seen.texts.append(body.decode())
    elif content_type == "text/calendar":
        seen.findings += [
            f"{where}: payload {named(line)}: line {line!r}"
            for line in ics_injections(body.decode())
        ]
        seen.texts.append(body.decode())
    else:
        seen.findings.append(f"{where}: unexpected content type {content_type!r}")


def _check_xlsx(seen: Seen, where: str, body: bytes) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    seen.findings.append(f"{where}: formula cell {cell.coordinate}")
                elif isinstance(cell.value, str):
                    seen.texts.append(cell.value)


def _pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        return ""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()
