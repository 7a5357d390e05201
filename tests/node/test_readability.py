"""Reading ages and long sentences: what the compose preview tells an author about their text."""

from __future__ import annotations

from node.readability import (
    AIM_HIGHEST,
    LONG_SENTENCE_WORDS,
    plain_text,
    read,
    read_all,
    reading_age,
    sentences,
)

# 8 words, 11 syllables in one sentence: Flesch-Kincaid grade
# 0.39 * 8 + 11.8 * 11 / 8 - 15.59 = 3.755, so a UK reading age of round(8.755) = 9
CHILDREN = "The children played in the garden after school."
# 6 words of one syllable: grade 0.39 * 6 + 11.8 - 15.59 = -1.45, below the youngest age
CAT = "The cat sat on the mat."
# 7 words, 27 syllables: grade 0.39 * 7 + 11.8 * 27 / 7 - 15.59 = 32.65, age 38
JARGON = (
    "Comprehensive safeguarding arrangements necessitate considerable institutional commitment."
)
LONG = (
    "This proposal, which has been developed over many months in close partnership with "
    "service users, carers, practitioners and the wider community across the whole county, "
    "aims to change how we work."
)  # 31 words


def test_a_known_sentence_gets_its_flesch_kincaid_reading_age() -> None:
    assert reading_age(CHILDREN) == 9
    assert read("Summary", CHILDREN).within_aim


def test_very_simple_text_reads_at_the_youngest_age_not_below() -> None:
    assert reading_age(CAT) == 5


def test_jargon_reads_far_above_the_aim() -> None:
    reading = read("Summary", JARGON)
    assert reading.reading_age == 38
    assert not reading.within_aim and reading.reading_age > AIM_HIGHEST


def test_a_sentence_over_25_words_is_quoted_and_shorter_ones_are_not() -> None:
    reading = read("The problem", f"{CHILDREN} {LONG} {CAT}")
    assert [(found.text, found.words) for found in reading.long_sentences] == [(LONG, 31)]
    exactly = " ".join(["word"] * LONG_SENTENCE_WORDS) + "."
    assert read("Title", exactly).long_sentences == ()
    assert len(read("Title", "one " + exactly).long_sentences) == 1


def test_empty_text_has_no_reading_age_and_is_left_out() -> None:
    for text in ("", "   \n\n", "**  **", "- \n- "):
        reading = read("Evidence", text)
        assert (reading.words, reading.reading_age, reading.long_sentences) == (0, None, ())
    assert [r.label for r in read_all([("Title", CAT), ("Evidence", ""), ("Summary", LONG)])] == [
        "Title",
        "Summary",
    ]


def test_markdown_is_stripped_before_measuring() -> None:
    marked = (
        "## The *children*\n\n"
        "The **children** played in [the garden](https://example.org) after `school`."
    )
    assert plain_text(marked) == "The children.\nThe children played in the garden after school."
    assert "https" not in plain_text(marked) and "*" not in plain_text(marked)
    assert reading_age("The children played in the garden after school.") == reading_age(
        plain_text("The **children** played in [the garden](https://example.org) after school.")
    )


def test_list_items_without_full_stops_do_not_run_into_one_long_sentence() -> None:
    items = "\n".join(f"- carers in the north of the county number {n}" for n in range(6))
    reading = read("Who is affected", items)
    assert reading.words == 54 and reading.long_sentences == ()
    assert len(sentences(plain_text(items))) == 6


def test_sentences_split_after_closing_quotes_and_keep_them() -> None:
    assert sentences("He said “stop.” Then it\u2019s over. Done! (Yes.) And") == [
        "He said “stop.”",
        "Then it\u2019s over.",
        "Done!",
        "(Yes.)",
        "And",
    ]
