"""Full-text search of the resource library in the reader's language.

Each resource has one `ResourceText` row per interface language: the title, summary and module
steps a reader of that language sees (with the usual fallbacks). A search looks only at the
rows of the reader's language, so it finds what the reader will read.

- PostgreSQL: `vector` holds `to_tsvector(<dictionary of the language>, document)`, GIN-indexed;
  the query goes through `websearch_to_tsquery`, which accepts any input (quotes, `-`, `or`,
  stray `&|!():*`) without a syntax error.
- SQLite: an FTS5 table (`portal_resourcetext_fts`, rowid = ResourceText.id, created by the
  migration) with the Porter stemmer over the Unicode tokenizer (no per-language stemmers
  there; Porter leaves most non-English words as they are, and query and text go through the
  same one). FTS5's own syntax would fail on `"`, `(`, `NEAR`, `*`..., so the query is cut
  into words and each word is quoted as a literal, matching as a prefix.

Both give a subquery of resource ids, so a search adds no query to a page.
"""

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from village.languages.catalog import interface_language_codes
from village.languages.content import text_in_language
from village.portal.models import Resource, ResourceText

FTS_TABLE = "portal_resourcetext_fts"
# PostgreSQL text search dictionaries per interface language ("simple": no stemming, for
# languages PostgreSQL has no snowball stemmer for).
DICTIONARIES = {"en": "english", "es": "spanish", "pt": "portuguese", "ar": "arabic"}
MAX_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)


def dictionary_for(language: str) -> str:
    return DICTIONARIES.get(language.split("-")[0], "simple")


def resource_document(resource: Resource, language: str, steps: list) -> str:
    parts = [
        text_in_language(resource.title, language, source_language=resource.source_language),
        text_in_language(resource.summary, language, source_language=resource.source_language),
    ]
    for step in steps:
        parts.append(
            text_in_language(step.title, language, source_language=resource.source_language)
        )
        parts.append(
            text_in_language(step.body, language, source_language=resource.source_language)
        )
    return "\n".join(p for p in parts if p)


def resource_index(resource: Resource) -> None:
    """(Re)write the resource's search rows, one per interface language. Called by services
    inside their transaction."""
    steps = list(resource.steps.all())
    unindex([resource.pk])
    ResourceText.objects.filter(resource=resource).delete()
    rows = ResourceText.objects.bulk_create(
        [
            ResourceText(
                resource=resource, language=code, document=resource_document(resource, code, steps)
            )
            for code in interface_language_codes()
        ]
    )
    index_rows(rows)


def index_rows(rows: list[ResourceText]) -> None:
    """Fill the backend's index for freshly created rows (ids known)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE portal_resourcetext SET vector = to_tsvector(%s::regconfig, document) "
                "WHERE id = %s",
                [(dictionary_for(row.language), row.pk) for row in rows],
            )
    elif connection.vendor == "sqlite":
        if rows[0].pk is None:  # bulk_create gives ids on SQLite 3.35+; fetch them otherwise
            rows = list(ResourceText.objects.filter(resource_id__in={r.resource_id for r in rows}))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (%s, %s)",  # noqa: S608
                [(row.pk, row.document) for row in rows],
            )


def index_everything() -> None:
    """(Re)build the backend's index from every ResourceText row in one statement (after a
    bulk load; services keep it current row by row)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cases = " ".join(
                f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in DICTIONARIES.items()
            )
            cursor.execute(
                "UPDATE portal_resourcetext SET vector = to_tsvector("  # noqa: S608 - constants
                f"CASE split_part(language, '-', 1) {cases} ELSE 'simple'::regconfig END, document)"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, document) "  # noqa: S608
                "SELECT id, document FROM portal_resourcetext"
            )


def unindex(resource_ids: list[int]) -> None:
    """Take the resources' rows out of the SQLite index (PostgreSQL's vector goes with the row)."""
    if connection.vendor != "sqlite" or not resource_ids:
        return
    placeholders = ", ".join(["%s"] * len(resource_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608
            f"(SELECT id FROM portal_resourcetext WHERE resource_id IN ({placeholders}))",
            resource_ids,
        )


def words_of(query: str) -> list[str]:
    return WORD.findall(query)[:MAX_WORDS]


def fts5_expression(query: str) -> str:
    """Every word as a quoted literal (an FTS5 string cannot hold anything but text) matching
    as a prefix, so "fam" finds "family"."""
    return " ".join(f'"{w}"*' for w in words_of(query))  # \w+ has no double quote to escape


def matching_resource_ids(*, query: str, language: str) -> QuerySet | None:
    """A subquery of the ids of resources matching `query` for readers of `language`, or None
    when the query has no word to look for (then nothing matches)."""
    # No database takes a NUL in text, and nothing useful is this long: the form stops longer
    # queries with a message; other callers (the API, code) are cut here.
    query = query.replace("\x00", " ")[:1000]
    if not words_of(query):
        return None
    if connection.vendor == "postgresql":
        return (
            ResourceText.objects.filter(language=language)
            .filter(
                RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                    "vector @@ websearch_to_tsquery(%s::regconfig, %s)",
                    [dictionary_for(language), query],
                    output_field=BooleanField(),
                )
            )
            .values("resource_id")
        )
    return ResourceText.objects.filter(
        language=language,
        pk__in=RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [fts5_expression(query)],
        ),
    ).values("resource_id")
