"""What a search asks for: plain words only, whatever was typed, alike on both engines."""

from __future__ import annotations

import asyncpg
import pytest

from node.search_text import MAX_WORDS, STOP_WORDS, fts5_match, query_words, strip_markup
from tests.support.databases import postgres_admin_url


def test_search_syntax_typed_in_becomes_plain_words() -> None:
    typed = 'NEAR("library" * OR Cafés) -{title}:x ^Über AND'
    assert query_words(typed) == ["near", "library", "cafes", "title", "x", "uber"]
    assert fts5_match(["library", "cafes"], "title") == '{title} : ("library" AND "cafes")'


def test_common_words_and_repeats_are_left_out_and_words_are_counted() -> None:
    assert query_words("the THE and of") == []
    assert query_words("Library library LIBRARY") == ["library"]
    many = " ".join(f"word{number}" for number in range(20))
    assert len(query_words(many)) == MAX_WORDS


def test_markup_is_not_text() -> None:
    assert strip_markup('<p>Tea &amp; <a href="https://x.example/cake">cake</a></p>').split() == [
        "Tea", "&", "cake",
    ]  # fmt: skip


@pytest.mark.skipif(postgres_admin_url() is None, reason="asks PostgreSQL's own configuration")
async def test_the_stop_words_are_those_postgresql_leaves_out(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        indexed = await connection.fetch(
            "SELECT word FROM unnest($1::text[]) AS word "
            "WHERE to_tsvector('english', word) <> ''::tsvector",
            sorted(STOP_WORDS),
        )
    finally:
        await connection.close()
    assert [row["word"] for row in indexed] == []
