"""The pagination's links keep a list's filters: query_except writes what the
loop it replaced wrote, character for character."""

from django.http import QueryDict
from django.template import Context, Template

LOOP = Template(
    "{% for key, values in query.lists %}{% if key != 'page' %}{% for value in values %}"
    "{{ key }}={{ value|urlencode }}&amp;{% endfor %}{% endif %}{% endfor %}"
)
FILTER = Template("{% load liaison %}{{ query|query_except:'page' }}")


def test_it_writes_what_the_loop_wrote():
    query = QueryDict("status=open&q=a b/c&page=3&tag=x&tag=<y>&na%22me=%C3%A9%26")
    expected = LOOP.render(Context({"query": query}))
    assert FILTER.render(Context({"query": query})) == expected
    assert expected == (
        "status=open&amp;q=a%20b/c&amp;tag=x&amp;tag=%3Cy%3E&amp;na&quot;me=%C3%A9%26&amp;"
    )


def test_no_query_writes_nothing():
    assert FILTER.render(Context({"query": QueryDict("page=2")})) == ""
    assert FILTER.render(Context({})) == ""
