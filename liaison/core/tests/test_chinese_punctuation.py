"""Chinese sentences use Chinese punctuation: a full-width colon, comma and
brackets (：，（）) and curly quotes (“”), never ASCII `:` `,` `()` `"` beside
Chinese text.
Times (10:00), numbers (100,000), URLs (https://), placeholders (%(name)s)
and examples of input (REQ-1, REQ-3) keep their ASCII marks: the rule only
looks at a mark that touches a Chinese character."""

import re

import pytest
from django.conf import settings

CATALOG = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# An ASCII colon or comma right after a Chinese character (a space may sit
# between), or right before one: the mark ends or joins a Chinese clause; so
# does a bracket opened after Chinese words or closed before them.
ASCII_MARK = re.compile(rf"{HAN} ?[:,(]|[:,)] ?{HAN}")
# Straight double quotes, taken in pairs from the left; a pair around words
# with a Chinese character should be “”.
QUOTED = re.compile(r'"[^"]*"')
MSGSTR = re.compile(r'^msgstr(?:\[\d+\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.MULTILINE)
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def ascii_punctuation(text: str) -> list[str]:
    """The places in `text` where ASCII punctuation stands in a Chinese sentence."""
    text = text.replace('\\"', '"')
    found = [match.group(0) for match in ASCII_MARK.finditer(text)]
    quoted = [match.group(0) for match in QUOTED.finditer(text)]
    return found + [words for words in quoted if re.search(HAN, words)]


def catalog_msgstrs() -> list[str]:
    content = CATALOG.read_text(encoding="utf-8")
    return ["".join(LITERAL.findall(block)) for block in MSGSTR.findall(content)]


@pytest.mark.parametrize(
    "text",
    [
        "原因: 工期延误",
        "项目,客户",
        "请填写名称:",
        '点击"保存"',
        "负责人 : %(name)s",
        "完成-开始 (FS)",
    ],
)
def test_ascii_punctuation_in_a_chinese_sentence_is_found(text):
    assert ascii_punctuation(text)


@pytest.mark.parametrize(
    "text",
    [
        "每天 %(hour)s:00 发送。",
        "须为 0 到 100,000 之间的小时数。",
        "链接必须以 http:// 或 https:// 开头。",
        "编号，例如“REQ-1, REQ-3”。",
        "原因：%(reason)s，请重试。",
        '或 "all": true。',
        "时区偏移，例如 +08:00。",
    ],
)
def test_times_numbers_urls_and_examples_are_left_alone(text):
    assert ascii_punctuation(text) == []


def test_every_chinese_translation_uses_chinese_punctuation():
    bad = {text: marks for text in catalog_msgstrs() if (marks := ascii_punctuation(text))}
    assert catalog_msgstrs(), "the catalog is read"
    assert bad == {}, bad


def test_no_template_writes_an_ascii_colon_after_a_translated_label():
    """`{% translate "Manager" %}: …` reads 项目经理: in Chinese; the separator
    is translated too: `{% translate ": " context "after a label" %}` (：)."""
    seam = re.compile(r'\{% translate "[^"]*" %\}:')
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in (settings.BASE_DIR / "liaison").glob("*/templates/**/*.html")
        if "/email/" not in str(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if seam.search(line)
    ]
    assert found == [], found
