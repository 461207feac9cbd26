"""A row's URL from RowUrls is the URL reverse() gives, for every shape our lists use."""

import pytest
from django.template import engines
from django.urls import reverse

from liaison.core.links import RowUrls

CASES = [
    ("planning:task", ["ACME"], 42),
    ("planning:task", ["ACME"], "T-7"),
    ("home:overview", [], "WMS-2"),
    ("changes:detail", ["ACME-01"], "CR-12"),
    ("reports:detail", ["ACME"], 3),
]


@pytest.mark.parametrize(("name", "args", "value"), CASES)
def test_a_row_url_is_what_reverse_gives(name, args, value):
    assert RowUrls(name, *args)(value) == reverse(name, args=[*args, value])


def test_a_value_is_one_quoted_segment():
    urls = RowUrls("planning:task", "ACME")
    assert urls("a/../b c") == reverse("planning:task", args=["ACME", "a"]).replace(
        "/a/", "/a%2F..%2Fb%20c/"
    )


def test_the_template_tag_and_filter_give_the_same():
    template = engines["django"].from_string(
        "{% load liaison %}{% row_urls 'planning:task' code as task_urls %}"
        "{% for key in keys %}{{ task_urls|row:key }} {% endfor %}"
    )
    shown = template.render({"code": "ACME", "keys": ["T-1", "T-2"]})
    assert shown.split() == [reverse("planning:task", args=["ACME", k]) for k in ("T-1", "T-2")]
