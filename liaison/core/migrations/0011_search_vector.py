"""PostgreSQL ranks the search's results by their words: a tsvector of the
title (weight A) and the body (B), in the 'simple' configuration (no language's
stemming: entries are in English and Chinese alike), kept by a trigger on every
insert and update so that no writer has to, and filled for the entries there are.
On SQLite the column stays empty."""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(NEW.body, '')), 'B')"
)
FORWARD = [
    "CREATE FUNCTION core_searchentry_vector() RETURNS trigger AS $$ BEGIN "
    f"NEW.search_vector := {VECTOR}; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER core_searchentry_vector BEFORE INSERT OR UPDATE OF title, body, search_vector "
    "ON core_searchentry FOR EACH ROW EXECUTE FUNCTION core_searchentry_vector()",
    "UPDATE core_searchentry SET search_vector = NULL",  # the trigger writes it
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS core_searchentry_vector ON core_searchentry",
    "DROP FUNCTION IF EXISTS core_searchentry_vector()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0010_search_text_index")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD)),
    ]
