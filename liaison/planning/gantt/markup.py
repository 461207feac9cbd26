"""The Gantt chart's SVG text: escaping what a reader may have typed, and the
stylesheet and fonts every chart carries (the file stands alone)."""

import re
from html import escape

FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", sans-serif'
)

STYLE = (
    ".gantt{font-size:12px;fill:#1f2328}"
    ".gantt .g-head{fill:#f6f7f9}"
    ".gantt .g-side{fill:#fff}"
    ".gantt .g-rule{stroke:#eef0f3;stroke-width:1;fill:none}"
    ".gantt .g-grid{stroke:#e6e9ed;stroke-width:1;fill:none}"
    ".gantt .g-grid2{stroke:#c9ced4;stroke-width:1;fill:none}"
    ".gantt .g-off{fill:#f0f2f5}"
    ".gantt .g-edge{stroke:#d5dae0;stroke-width:1}"
    ".gantt .g-tier{font-size:11px;fill:#59636e}"
    ".gantt .g-key{fill:#59636e;font-size:11px}"
    ".gantt .g-label--sum{font-weight:600}"
    ".gantt .g-toggle{fill:#4338ca;font-size:11px}"
    ".gantt .g-hit{fill:transparent}"
    ".gantt .g-bar{fill:#c7d9fb;stroke:#1e4fb8;stroke-width:1}"
    ".gantt .g-done{fill:#1e4fb8}"
    ".gantt .is-done .g-bar{fill:#dcfce7;stroke:#166534}"
    ".gantt .is-done .g-done{fill:#16a34a}"
    ".gantt .is-blocked .g-bar{fill:#fef3c7;stroke:#8a3b0c}"
    ".gantt .is-blocked .g-done{fill:#d97706}"
    ".gantt .is-critical .g-bar{stroke:#b42318;stroke-width:2}"
    ".gantt .is-critical .g-done{fill:#b42318}"
    ".gantt .g-sum{fill:#424a53}"
    ".gantt .is-critical .g-sum{fill:#b42318}"
    ".gantt .g-sumdone{fill:#16a34a}"
    ".gantt .g-base{fill:#8b949e;opacity:.75}"
    ".gantt .g-link{stroke:#59636e;stroke-width:1;fill:none}"
    ".gantt .g-link.is-critical{stroke:#b42318;stroke-width:1.5}"
    ".gantt .g-arrow{fill:#59636e}"
    ".gantt .g-arrow--critical{fill:#b42318}"
    ".gantt .g-today{stroke:#4338ca;stroke-width:1.5}"
    ".gantt .g-todaytext{fill:#4338ca;font-size:10px;font-weight:600}"
    ".gantt .g-ms{fill:#59636e;stroke:#fff;stroke-width:1}"
    ".gantt .g-ms--in_progress{fill:#1e4fb8}"
    ".gantt .g-ms--submitted{fill:#b45309}"
    ".gantt .g-ms--accepted{fill:#166534}"
    ".gantt .g-ms--rejected{fill:#b42318}"
    ".gantt .g-msbase{fill:none;stroke:#8b949e;stroke-width:1;stroke-dasharray:2 2}"
    ".gantt .g-mline{stroke:#8b949e;stroke-width:1;stroke-dasharray:3 3;opacity:.6}"
    # No halo behind words (paint-order): WeasyPrint, which prints the chart, paints
    # the stroke over the text. Dark, and bold for milestones, over the light grid.
    ".gantt .g-mtext{font-size:11px;font-weight:600}"
    ".gantt .g-blabel{font-size:11px;fill:#424a53;pointer-events:none}"
    ".gantt .g-empty{fill:#59636e}"
    ".gantt a:focus{outline:none}"
    ".gantt a:focus-visible .g-bar,.gantt a:focus-visible .g-sum"
    "{stroke:#4f46e5;stroke-width:3}"
    ".gantt a:focus-visible .g-hit{stroke:#4f46e5;stroke-width:2}"
    ".gantt a:hover .g-bar{filter:brightness(.95)}"
)

# XML 1.0 forbids most control characters, even escaped; a pasted title may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Anything esc() changes: most keys, titles and numbers hold none, and one search
# is cheaper than escape()'s five replacements (a chart escapes thousands of values).
_TO_ESCAPE = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(value) -> str:
    text = str(value)
    if not _TO_ESCAPE.search(text):
        return text
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return escape(text, quote=True)


def attrs(values: dict | None) -> str:
    """A link's attributes as given by the caller (href, hx-get…), escaped."""
    if not values:
        return ""
    return "".join(f' {name}="{esc(value)}"' for name, value in values.items())
