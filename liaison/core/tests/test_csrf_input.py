"""`{% csrf_input %}` writes what `{% csrf_token %}` writes, once for a list."""

from django.template import engines
from django.test import RequestFactory


def render(source: str, request) -> str:
    return engines["django"].from_string("{% load liaison %}" + source).render(request=request)


def test_it_writes_the_field_csrf_token_writes():
    request = RequestFactory().get("/")
    # One render reads the (masked) token once, so both spellings see the same one.
    field, tag = render("{% csrf_input as field %}{{ field }}|{% csrf_token %}", request).split("|")
    assert field.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert field == tag


def test_without_a_token_it_writes_nothing():
    assert engines["django"].from_string("{% load liaison %}{% csrf_input %}").render({}) == ""
