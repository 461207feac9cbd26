"""API schemas of the glossary: a term as read, and what the writes take."""

from ninja import Field, Schema

from liaison.glossary.services import MAX_ALIASES, MAX_DEFINITION, MAX_NAME

VERSION = Field(..., description="The version you read; a stale one answers 409.")


class GlossaryTermOut(Schema):
    id: int
    term: str = Field(..., description="The term in English (may be empty).")
    term_zh: str = Field(..., description="The term in Chinese (may be empty).")
    definition: str
    definition_zh: str
    aliases: str = Field(..., description="Other names that mean the same, comma-separated.")
    client_visible: bool
    version: int


class GlossaryTermIn(Schema):
    term: str = Field("", max_length=MAX_NAME)
    term_zh: str = Field("", max_length=MAX_NAME)
    definition: str = Field("", max_length=MAX_DEFINITION)
    definition_zh: str = Field("", max_length=MAX_DEFINITION)
    aliases: str = Field("", max_length=MAX_ALIASES)
    client_visible: bool = True


class GlossaryTermPatch(Schema):
    version: int = VERSION
    term: str | None = Field(None, max_length=MAX_NAME)
    term_zh: str | None = Field(None, max_length=MAX_NAME)
    definition: str | None = Field(None, max_length=MAX_DEFINITION)
    definition_zh: str | None = Field(None, max_length=MAX_DEFINITION)
    aliases: str | None = Field(None, max_length=MAX_ALIASES)
    client_visible: bool | None = None
