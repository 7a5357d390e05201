"""Upgrading a database that holds proposals written in two languages: once the node upgrades,
search finds them by their Welsh words (10_search_both_languages indexes them again)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from node.models import Object
from node.services.search import parse_search, search
from tests.support.migrations import OBJECT_COLUMNS, PROPOSAL_COLUMNS, old_database, upgraded

WELSH = {
    "cy": {
        "name": "Agor y llyfrgell gyda'r nos",
        "summary": "Oriau hwyrach",
        "content": "<p>Bydd <strong>gwirfoddolwyr</strong> yn helpu.</p>",
        "source": "Bydd **gwirfoddolwyr** yn helpu.",
        "sections": {},
    }
}
# proposal columns as 7_policy_and_statements to 9_umbrella hold them
COLUMNS = (*PROPOSAL_COLUMNS, "reopen_reason", "decision", "decision_html", "decision_sections",
           "decided_at", "reply_policy", "statements_enabled")  # fmt: skip


async def totals(words: str) -> list[int]:
    """How many proposals, comments and decisions search finds for `words`."""
    return [group.total for group in await search(parse_search(words))]


async def test_proposals_written_in_two_languages_before_are_found_by_their_welsh(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database at 9_umbrella with a decided proposal in English and Welsh, and one in
    # English only
    now = datetime.now(UTC)
    async with old_database(database_url, "9_umbrella.py", tmp_path) as old:
        await old.insert_local_actor(now)
        for number, (name, translations) in enumerate(
            (("Evening opening", WELSH), ("Evening library talks", {}))
        ):
            row = (f"https://n.example/o/{number}", "Article", True, "", "c", name, "",
                   "<p>Open later</p>", "", "", True, "{}", now + timedelta(seconds=number),
                   None, None, None, "", 1, False, "en" if translations else "",
                   json.dumps(translations))  # fmt: skip
            await old.insert("object", (*OBJECT_COLUMNS, "late", "language", "translations"), row)
        decided = ("adopted", None, 1, "", "[]", now, None, 1, "", "We will open later", "",
                   "[]", now, "", False)  # fmt: skip
        undecided = ("open", now + timedelta(days=3), 1, "", "[]", now, None, 2, "", "", "",
                     "[]", None, "", False)  # fmt: skip
        await old.insert("proposal", COLUMNS, decided, undecided)
        # which search does not find by its Welsh yet
        assert await totals("llyfrgell") == [0, 0, 0]
        assert await totals("gwirfoddolwyr") == [0, 0, 0]
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "10_search_both_languages.py"
        # Then a word of its Welsh title finds the proposal and its decision, one of its Welsh
        # text the proposal, markup left out
        assert await totals("llyfrgell") == [1, 0, 1]
        assert await totals("gwirfoddolwyr") == [1, 0, 0]
        assert await totals("strong") == [0, 0, 0]
        # and what was found before still is, the English-only proposal included
        assert await totals("evening") == [2, 0, 1]
        assert await totals("later") == [2, 0, 1]
        # and a Welsh text written afterwards is indexed as it is written
        welsh = {"cy": {**WELSH["cy"], "content": "<p>Bydd cymdogion yn helpu.</p>"}}
        await Object.filter(uri="https://n.example/o/0").update(translations=welsh)
        assert await totals("cymdogion") == [1, 0, 0]
        assert await totals("gwirfoddolwyr") == [0, 0, 0]
