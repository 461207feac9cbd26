"""The text marker (core/glossing.py): terms in the text nodes of cleaned
markdown become an element that shows the definition; nothing else changes."""

import re

import pytest

from liaison.core.glossing import Gloss, Matcher, mark_terms
from liaison.core.markdown import render_markdown
from liaison.tests.hostile_payloads import payload_texts

WMS = Gloss(("WMS", "仓库管理系统"), "WMS", "Warehouse management system.")
WAVE = Gloss(("Wave picking", "waves"), "Wave picking", "Picking orders together.")
WAVE_SHORT = Gloss(("Wave",), "Wave", "A group of orders.")
EMR = Gloss(("电子病历", "EMR"), "电子病历 (EMR)", "以电子方式记录的病历。")
HIS = Gloss(("HIS",), "HIS", "Hospital information system.")


def marked(text: str, *glosses: Gloss) -> str:
    return Matcher(glosses).mark(render_markdown(text))


def terms_in(html: str) -> list[str]:
    """The words marked, in order."""
    return re.findall(r'<span class="term" tabindex="0" aria-describedby="[^"]+">([^<]*)<', html)


def test_a_term_is_marked_with_its_definition_focusable_and_described():
    html = marked("The WMS matches the pallet.", WMS)
    assert terms_in(html) == ["WMS"]
    tip = re.search(r'aria-describedby="(gloss-\d+)"', html)[1]
    assert f'role="tooltip" id="{tip}"' in html
    assert "Warehouse management system." in html
    assert html.startswith("<p>The <span") and html.endswith(" matches the pallet.</p>\n")


def test_latin_terms_match_whole_words_whatever_their_case():
    html = marked("wms, WMSX, XWMS, the_wms and Wms.", WMS)
    assert terms_in(html) == ["wms", "Wms"]


def test_cjk_terms_match_inside_a_run_and_latin_terms_beside_cjk():
    html = marked("将门诊电子病历系统与HIS对接，接入仓库管理系统。", EMR, HIS, WMS)
    assert terms_in(html) == ["电子病历", "HIS", "仓库管理系统"]


def test_the_longest_term_wins_and_every_occurrence_is_marked():
    html = marked("Wave picking groups orders; each wave and the waves after it.", WAVE_SHORT, WAVE)
    assert terms_in(html) == ["Wave picking", "wave", "waves"]
    # "Wave picking" is one term, not "Wave" and then "picking"; "wave" is the short one's
    assert html.index("Picking orders together.") < html.index("A group of orders.")
    assert html.count("A group of orders.") == 1


@pytest.mark.parametrize(
    "text",
    [
        "[the WMS](https://wms.example/WMS)",
        "`WMS` in code",
        "```\nWMS\n```",
        "<b>WMS</b>",  # raw HTML is escaped by markdown: text, marked
    ],
)
def test_links_and_code_are_left_alone(text):
    html = marked(text, WMS)
    if "<b>" in text:
        assert "&lt;b&gt;" in html and terms_in(html) == ["WMS"]
    else:
        assert terms_in(html) == []
        assert html == render_markdown(text)


def test_attributes_and_nested_tags_are_untouched():
    html = marked('**bold WMS** and ![WMS](/WMS.png "WMS") and *x*', WMS)
    assert terms_in(html) == ["WMS"]
    assert '<img src="/WMS.png" alt="WMS" title="WMS">' in html
    assert "<strong>bold <span" in html


def test_definitions_and_names_are_escaped():
    hostile = Gloss(("WMS",), "<img src=x onerror=alert(1)>", '"><script>alert(1)</script>')
    html = marked("The WMS", hostile)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(("name", "marker", "payload"), payload_texts())
def test_hostile_terms_do_nothing(name, marker, payload):
    """A payload as the term, the alias and the definition, in a text holding it:
    the result is what markdown gave, with at most its text wrapped, escaped."""
    gloss = Gloss((payload, payload[:10], ".*", "(", "\u202e"), payload, payload)
    plain = render_markdown(f"Before {payload} after")
    html = Matcher([gloss]).mark(plain)
    unmarked = re.sub(
        r'<span class="term__tip" role="tooltip" id="gloss-\d+">.*?</span></span>',
        "",
        html,
        flags=re.S,
    )
    unmarked = re.sub(
        r'<span class="term" tabindex="0" aria-describedby="gloss-\d+">', "", unmarked
    )
    assert unmarked.replace("&#x27;", "'").replace("&quot;", '"') == plain.replace(
        "&#x27;", "'"
    ).replace("&quot;", '"')
    for tag in ("<script", "<iframe", "<svg", "<object", "<embed", "<base", "<meta"):
        assert tag not in html.lower()
    assert not re.search(r"<[^>]+\son\w+=", html)


def test_bidi_and_control_words_mark_nothing():
    gloss = Gloss(("\u202eWMS", "WMS\u200b", "\x00"), "WMS", "x")
    assert terms_in(marked("\u202eWMS and WMS\u200b", gloss)) == []


def test_without_terms_or_project_the_html_is_unchanged():
    html = render_markdown("The WMS")
    assert Matcher([]).mark(html) == html
    assert mark_terms(html, None, [lambda project: [WMS]]) == html


def test_a_project_reads_its_terms_once_per_language():
    class Project:
        pass

    calls = []

    def source(project):
        calls.append(project)
        return [WMS]

    project = Project()
    for _ in range(3):
        assert terms_in(mark_terms(render_markdown("WMS"), project, [source])) == ["WMS"]
    assert len(calls) == 1
