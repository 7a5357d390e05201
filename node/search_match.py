"""Which texts say the words asked: the one match of the search index (node/search_schema.py)
that the search page (node/services/search.py) and the proposal list's word filter
(node/services/proposal_search.py) both ask, so what finds a proposal on one, in any of its
languages, finds it on the other. The words are search_text.query_words' (both engines agree on
them); SQLite matches them with FTS5, PostgreSQL with plainto_tsquery on the folded document.
"""

from __future__ import annotations

from collections.abc import Sequence

from pypika_tortoise.context import SqlContext
from pypika_tortoise.enums import Dialects
from pypika_tortoise.terms import Term, ValueWrapper

from node.search_text import fts5_match

# the match on each engine, {words} the parameter match_value gives
SQLITE_MATCH = '"search_text" MATCH {words}'
POSTGRES_QUERY = "plainto_tsquery('english', {words})"
# the index's row of an object's own texts (object.id * 2; a decision's is object.id * 2 + 1)
OWN_TEXTS = 0

# the ids of the objects whose own texts match (constants; the words go in as a parameter)
_SELECT = 'SELECT {key} / 2 FROM "search_text" WHERE {match} AND {key} % 2 = {own}'
_OBJECTS_SAYING = {
    False: _SELECT.format(key="rowid", match=SQLITE_MATCH, own=OWN_TEXTS),
    True: _SELECT.format(key="id", match='"document" @@ ' + POSTGRES_QUERY, own=OWN_TEXTS),
}


def match_value(words: Sequence[str], postgres: bool) -> str:
    """What the engine's match is given for `words`: FTS5's expression asking every word, or
    the words for plainto_tsquery (which asks every word too)."""
    return " ".join(words) if postgres else fts5_match(list(words))


class SaysWords(Term):
    """`column IN (the objects whose own texts say every word)`, for a tortoise query: annotate
    it and filter on it being true (the words a parameter; a subquery, so no row twice)."""

    def __init__(self, column: str, words: Sequence[str]) -> None:
        super().__init__()
        self.column = column
        self.words = tuple(words)

    def get_sql(self, ctx: SqlContext) -> str:
        postgres = ctx.dialect == Dialects.POSTGRESQL
        value = ValueWrapper(match_value(self.words, postgres)).get_sql(ctx)
        return f"{self.column} IN ({_OBJECTS_SAYING[postgres].format(words=value)})"
