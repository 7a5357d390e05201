"""How easy a proposal is to read: the reading age of a text and its over-long sentences.

Advice for the author while composing, never a rule that stops publishing. The UK reading age
is the Flesch-Kincaid grade (textstat) plus five; UK public-sector guidance asks consultations
to aim at a reading age of about 9 to 11. Markdown is reduced to its words first, each block
(paragraph, heading, list item) read as a sentence of its own, so that list items without a
full stop do not run together into one long sentence.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import textstat
from markdown_it import MarkdownIt
from markdown_it.token import Token

AIM_LOWEST = 9  # the reading age UK public-sector guidance aims consultations at, about 9 to 11
AIM_HIGHEST = 11
UK_AGE_OVER_GRADE = 5  # a US school grade is read at about five years older
YOUNGEST_AGE = 5  # very simple text scores below zero; nobody reads before about five
ADULT_AGE = 18  # older ages say only "harder than most adults read easily": shown as over 18
LONG_SENTENCE_WORDS = 25  # a sentence over this many words is flagged

_parser = MarkdownIt("commonmark", {"html": False})
_WORD = re.compile(r"[\w\u2019'-]+")
# a sentence ends at . ! or ? (maybe followed by a closing quote or bracket) before a space
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


@dataclass(frozen=True)
class LongSentence:
    """A sentence over LONG_SENTENCE_WORDS words, as written."""

    text: str
    words: int


@dataclass(frozen=True)
class Reading:
    """What the compose preview says about one text (the title, the summary, a section)."""

    label: str
    words: int
    reading_age: int | None  # None: there is no text to measure
    long_sentences: tuple[LongSentence, ...]

    @property
    def within_aim(self) -> bool:
        """Whether the text reads at the aimed age or younger."""
        return self.reading_age is not None and self.reading_age <= AIM_HIGHEST


def plain_text(markdown: str) -> str:
    """The words of `markdown` without its markup, one block to a line, each block ending as
    a sentence (a full stop added where a heading or list item has none)."""
    blocks: list[str] = []
    for token in _parser.parse(markdown):
        if token.type != "inline":
            continue
        text = " ".join(_inline_text(token).split())
        if text:
            blocks.append(text if _ENDS_SENTENCE.search(text) else f"{text.rstrip(':;,')}.")
    return "\n".join(blocks)


def _inline_text(token: Token) -> str:
    """The text of an inline token: words of links, emphasis and code kept, markup dropped."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
    return "".join(parts)


def sentences(text: str) -> list[str]:
    """The sentences of plain `text` (as plain_text gives it), in order."""
    found: list[str] = []
    for line in text.splitlines():
        found.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return found


def word_count(text: str) -> int:
    """How many words `text` has."""
    return len(_WORD.findall(text))


def reading_age(text: str) -> int | None:
    """The UK reading age of plain `text` (Flesch-Kincaid grade + 5), None with no words."""
    if word_count(text) == 0:
        return None
    grade = textstat.flesch_kincaid_grade(text)
    return max(YOUNGEST_AGE, round(grade + UK_AGE_OVER_GRADE))


def long_sentences(text: str) -> tuple[LongSentence, ...]:
    """The sentences of plain `text` over LONG_SENTENCE_WORDS words."""
    counted = ((sentence, word_count(sentence)) for sentence in sentences(text))
    return tuple(
        LongSentence(sentence, words) for sentence, words in counted if words > LONG_SENTENCE_WORDS
    )


def read(label: str, markdown: str) -> Reading:
    """The reading age and long sentences of `markdown`, under `label`."""
    text = plain_text(markdown)
    return Reading(
        label=label,
        words=word_count(text),
        reading_age=reading_age(text),
        long_sentences=long_sentences(text),
    )


def read_all(texts: list[tuple[str, str]]) -> tuple[Reading, ...]:
    """A Reading for each (label, Markdown) pair that has any words."""
    return tuple(reading for label, text in texts if (reading := read(label, text)).words)


async def read_all_aside(texts: list[tuple[str, str]]) -> tuple[Reading, ...]:
    """read_all in a worker thread: the first use loads textstat's pronouncing dictionary
    (about a second), which must not stall the event loop."""
    return await asyncio.to_thread(read_all, texts)
