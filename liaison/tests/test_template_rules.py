"""Rules every template keeps, so that a template reads on its own:

- no line over 160 characters (djLint's max_line_length in pyproject.toml);
- a partial opens with `{# Inputs: … #}`, the variables it reads;
- an include passes those inputs by name and ends with `only`, so that a partial
  never reads the page's context by accident. Context processors' variables
  (request, user, csrf_token…) are dropped by `only` too: they are passed like
  any other input;
- a cell's label on the phone (`data-label`) is a fixed word of its column,
  translated once before the rows (`{% translate "Status" as status_column %}`):
  a translate tag in the attribute runs for every cell of every row
  (docs/architecture.md, "Pages that stay fast");
- no `{% url %}` inside a `{% for %}`: `{% row_urls … as urls %}` before the loop
  and `{{ urls|row:item.key }}` in it (the same section). The templates that
  still reverse in a loop are counted in URLS_IN_LOOPS; the count may only fall.

Inline script is kept out by liaison/core/tests/test_templates_csp.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings

MAX_LINE = 160
ROOT = Path(settings.BASE_DIR) / "liaison"
TEMPLATES = {
    path.relative_to(next(p for p in path.parents if p.name == "templates")).as_posix(): path
    for path in sorted(ROOT.glob("*/templates/**/*.html"))
}
INCLUDE = re.compile(r"{%\s*include\s+\"([^\"#]+)\"(.*?)%}")
EXTENDS = re.compile(r"{%\s*extends\s+\"([^\"]+)\"\s*%}")
INPUTS = re.compile(r"\A{# Inputs: ([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*) #}")
WITH_NAME = re.compile(r"\b([a-z_][a-z0-9_]*)=")
TRANSLATED_CELL_LABEL = re.compile(r"data-label=\"{%\s*(?:translate|trans)\b")
TAG = re.compile(r"{%\s*(\w+)")
# {% url %} inside a loop, as the templates had it when the rule came (mostly
# short loops: a baseline's changes, an interaction's action items): fix one,
# lower its count; a new template starts at none.
URLS_IN_LOOPS = {
    "accounts/settings.html": 1,
    "changes/_impact.html": 1,
    "changes/change_detail.html": 3,
    "changes/portal/change_detail.html": 2,
    "communication/_dashboard_card.html": 1,
    "communication/interaction_detail.html": 3,
    "communication/plan.html": 3,
    "communication/portal/interaction_detail.html": 2,
    "controls/issue_detail.html": 1,
    "controls/portal/issue_detail.html": 1,
    "documents/document.html": 1,
    "planning/_overview_card.html": 1,
    "planning/_report_section.html": 2,
    "planning/board.html": 1,
    "planning/milestone_detail.html": 1,
    "planning/plan_baselines.html": 1,
    "planning/portal/timeline.html": 1,
    "portal/_project_list.html": 1,
    "projects/client_list.html": 1,
    "projects/person.html": 1,
    "projects/undelivered_mail.html": 1,
    "requirements/baseline_form.html": 1,
    "requirements/baseline_list.html": 2,
    "requirements/requirement_detail.html": 1,
    "webhooks/webhook_list.html": 1,
}


def includes(text: str) -> list[tuple[str, str]]:
    """(template name, what follows it) of every include in a template."""
    return INCLUDE.findall(text)


def urls_in_loops(text: str) -> list[int]:
    """The lines of the {% url %} tags inside a {% for %} loop."""
    lines, depth = [], 0
    for found in TAG.finditer(text):
        name = found.group(1)
        depth += {"for": 1, "endfor": -1}.get(name, 0)
        if name == "url" and depth > 0:
            lines.append(text.count("\n", 0, found.start()) + 1)
    return lines


def partial_names() -> list[str]:
    """Templates another one includes, and every _name.html that is not a layout
    to extend (accounts/_auth_base.html and the like)."""
    texts = [path.read_text() for path in TEMPLATES.values()]
    included = {name for text in texts for name, _ in includes(text)}
    extended = {name for text in texts for name in EXTENDS.findall(text)}
    underscored = {name for name in TEMPLATES if Path(name).name.startswith("_")}
    return sorted(included | (underscored - extended))


def declared_inputs(name: str) -> set[str]:
    match = INPUTS.match(TEMPLATES[name].read_text())
    return set(match.group(1).split(", ")) if match else set()


def test_the_walk_finds_the_templates_and_partials():
    assert {"base.html", "planning/board.html", "core/_field.html"} <= set(TEMPLATES)
    assert {"core/_field.html", "core/_pagination.html"} <= set(partial_names())
    assert "accounts/_auth_base.html" not in partial_names()


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_no_line_is_over_160_characters(name):
    long = [
        number
        for number, line in enumerate(TEMPLATES[name].read_text().splitlines(), 1)
        if len(line) > MAX_LINE
    ]
    assert not long, f"lines over {MAX_LINE} characters: {long}"


@pytest.mark.parametrize("name", partial_names())
def test_a_partial_opens_with_its_inputs(name):
    assert INPUTS.match(TEMPLATES[name].read_text()), (
        "open the partial with {# Inputs: name, other_name #}"
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_an_include_passes_declared_inputs_only(name):
    for partial, arguments in includes(TEMPLATES[name].read_text()):
        assert partial in TEMPLATES, f"{partial} is no template of ours"
        assert arguments.rstrip().endswith(" only"), f"include {partial} … only"
        passed = set(WITH_NAME.findall(arguments))
        unknown = passed - declared_inputs(partial)
        assert not unknown, f"{partial} declares no input {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_cells_label_is_translated_before_the_rows(name):
    text = TEMPLATES[name].read_text()
    lines = [
        text.count("\n", 0, found.start()) + 1 for found in TRANSLATED_CELL_LABEL.finditer(text)
    ]
    assert not lines, f"data-label translated per row on lines {lines}: translate it once, `as`"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_no_url_is_reversed_in_a_loop(name):
    lines = urls_in_loops(TEMPLATES[name].read_text())
    assert len(lines) <= URLS_IN_LOOPS.get(name, 0), (
        f"{{% url %}} in a loop on lines {lines}: {{% row_urls … as urls %}} before it"
    )


def test_the_checks_catch_what_they_forbid():
    assert INPUTS.match("{# Inputs: task, project, can_edit #}\n<p>")
    assert not INPUTS.match("{% load i18n %}{# Inputs: task #}")
    assert not INPUTS.match("{# Inputs: the task #}\n")
    [(partial, arguments)] = includes('{% include "core/_field.html" with field=form.title %}')
    assert partial == "core/_field.html" and not arguments.rstrip().endswith(" only")
    [(_, arguments)] = includes('{% include "core/_field.html" with field=form.title only %}')
    assert set(WITH_NAME.findall(arguments)) == {"field"}
    assert WITH_NAME.findall(" with label=task.get_status_display only ") == ["label"]
    assert TRANSLATED_CELL_LABEL.search("<td data-label=\"{% translate 'Due' %}\">")
    assert not TRANSLATED_CELL_LABEL.search('<td data-label="{{ due_column }}">')
    looped = "{% url 'a' %}\n{% for t in ts %}{% if t %}\n{% url 'b' t %}{% endif %}{% endfor %}"
    assert urls_in_loops(looped) == [3]
    hoisted = "{% row_urls 'b' as urls %}{% for t in ts %}{{ urls|row:t }}{% endfor %}"
    assert urls_in_loops(hoisted) == []
