"""What the search index reads of a text, and what a search asks of it, the same on SQLite
(FTS5, `porter unicode61 remove_diacritics 2`) and PostgreSQL (the 'english' configuration).

The two engines agree on a query when it is plain words: the words of what was typed (letters
and digits; everything else, FTS5 syntax included, is a space), accents folded, PostgreSQL's
English stop words left out (FTS5 has none), at most `MAX_WORDS`; every word must match, after
English stemming (Porter on SQLite, Snowball on PostgreSQL: they differ on rare words).

The index holds text without markup: `strip_markup` here, and the same regular expression and
entities in PostgreSQL's triggers (node/search_schema.py). SQLite calls this module's function
from its triggers: node/sqlite_engine.py registers it on every connection the node opens.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY = 200  # characters of a query read; the rest is ignored (the page says so)
MAX_WORDS = 8
MAX_WORD = 60

STRIP_FUNCTION = "townhall_search_text"
_TAG = re.compile(r"<[^>]*>")
ENTITIES = (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"),
            ("&amp;", "&"))  # fmt: skip


def strip_markup(html: str | None) -> str:
    """Text of stored HTML for the index: tags become spaces, the common entities characters."""
    if not html:
        return ""
    text = _TAG.sub(" ", html)
    for entity, character in ENTITIES:
        text = text.replace(entity, character)
    return text


def _fold_table() -> tuple[str, str]:
    """Latin letters with accents and their plain letters (PostgreSQL's `translate` folds the
    indexed text with these; FTS5 folds them itself)."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base.isascii() and base.isalpha() and base != letter:
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


FOLD_FROM, FOLD_TO = _fold_table()
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)

# PostgreSQL's tsearch_data/english.stop: words its 'english' configuration never indexes
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)
_WORD = re.compile(r"[^\W_]+")


def query_words(typed: str) -> list[str]:
    """The words a search asks for (see the module's docstring); [] when none is left."""
    words: list[str] = []
    for word in _WORD.findall(typed[:MAX_QUERY].translate(_FOLD).lower()):
        if word not in STOP_WORDS and word not in words and len(word) <= MAX_WORD:
            words.append(word)
    return words[:MAX_WORDS]


def fts5_match(words: list[str], column: str = "") -> str:
    """An FTS5 MATCH expression: every word (each a quoted string, so no syntax), maybe in
    one column only."""
    every = " AND ".join(f'"{word}"' for word in words)
    return f"{{{column}}} : ({every})" if column else every
