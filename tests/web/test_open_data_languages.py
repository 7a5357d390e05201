"""The open data of a proposal written in two languages: both in the proposals and versions
files (the second language in columns after the older ones, in CSV and JSON alike), and in the
thread's JSON-LD."""

from __future__ import annotations

import csv
import io
import json

from aiohttp.test_utils import TestClient

from node.models import Proposal
from tests.support.api import BASE
from tests.support.pages import submit
from tests.web.test_member_pages import NEW
from tests.web.test_open_data import csv_file, download, json_file
from tests.web.test_two_languages import WELSH, publish_in_two_languages

# the columns the files had before there were two languages, in their order
OLDER_COLUMNS = {
    "proposals": ["proposal", "title", "summary", "text", "status", "version", "published",
                  "edited", "closes", "decided", "decision", "url"],
    "versions": ["proposal", "version", "title", "summary", "text", "published", "amendment"],
}  # fmt: skip
SECOND = ["language", "second_language", "second_title", "second_summary", "second_text"]


async def test_both_languages_are_in_the_proposals_and_versions_files(client: TestClient) -> None:
    where = await publish_in_two_languages(client)
    # an edit of the Welsh title: the first version keeps the old one
    fields = {**NEW, **WELSH, "other_title": "Agor yn hwyr", "status": "open", "action": "save"}
    response = await submit(client, f"{where}/edit", fields, token_from=f"{where}/edit")
    assert response.status == 303, await response.text()
    proposal = await Proposal.get(object__uri=f"{BASE}{where}")
    base = f"/proposals/{proposal.id}/data"

    proposals = (await json_file(client, f"{base}/proposals.json", "proposals"))["rows"]
    assert len(proposals) == 1
    row = proposals[0]
    assert (row["title"], row["language"], row["second_language"]) == (
        "Evening opening",
        "en",
        "cy",
    )
    assert row["second_title"] == "Agor yn hwyr"
    assert row["second_summary"] == "Agor y ganolfan tan 8pm ar ddydd Iau."
    assert "Ni all pobl sy'n gweithio **yn y dydd** ddod." in row["second_text"]
    assert "Mae pobl sy'n gweithio yn colli allan." in row["second_text"]  # its section
    assert "Working people miss out." in row["text"] and "Mae pobl" not in row["text"]
    assert await csv_file(client, f"{base}/proposals.csv") == [
        {key: str(value) for key, value in row.items()}
    ]

    versions = (await json_file(client, f"{base}/versions.json", "versions"))["rows"]
    assert [(v["version"], v["language"], v["second_language"]) for v in versions] == [
        (1, "en", "cy")
    ]
    assert versions[0]["second_title"] == "Agor gyda'r nos"
    assert "Ni all pobl sy'n gweithio" in versions[0]["second_text"]

    for table, older in OLDER_COLUMNS.items():
        text, _response = await download(client, f"{base}/{table}.csv")
        assert next(csv.reader(io.StringIO(text))) == [*older, *SECOND]  # appended, not reordered


async def test_a_proposal_in_one_language_has_empty_second_language_columns(
    client: TestClient,
) -> None:
    await publish_in_two_languages(client)
    english_only = {**NEW, "title": "Only in English", "language": "en", "action": "publish"}
    response = await submit(client, "/proposals/new", english_only, token_from="/proposals/new")
    assert response.status == 303, await response.text()
    rows = (await json_file(client, "/data/proposals.json", "proposals"))["rows"]
    by_title = {row["title"]: row for row in rows}
    assert by_title["Evening opening"]["second_title"] == "Agor gyda'r nos"
    alone = by_title["Only in English"]
    assert alone["language"] == "en"
    assert [alone[column] for column in SECOND[1:]] == ["", "", "", ""]


async def test_the_thread_document_carries_both_languages(client: TestClient) -> None:
    where = await publish_in_two_languages(client)
    proposal = await Proposal.get(object__uri=f"{BASE}{where}")
    text, _response = await download(client, f"/proposals/{proposal.id}/thread.jsonld")
    article = json.loads(text)["orderedItems"][0]
    assert article["nameMap"] == {"en": "Evening opening", "cy": "Agor gyda'r nos"}
    assert set(article["contentMap"]) == {"en", "cy"}
