"""Whom a document is addressed to, read in one place: every spelling of Public, one value or a
list, embedded objects, and the followers collection as just another address."""

from __future__ import annotations

from typing import Any

import pytest

from federation.vocab import PUBLIC
from node.addressing import addressed_ids, addressees, is_addressed_publicly

FOLLOWERS = "https://remote.example/users/rita/followers"
RITA = "https://remote.example/users/rita"


@pytest.mark.parametrize("spelling", [PUBLIC, "as:Public", "Public"])
def test_every_spelling_of_public_reads_as_the_public_collection(spelling: str) -> None:
    assert addressed_ids([spelling]) == [PUBLIC]
    assert addressed_ids(spelling) == [PUBLIC]  # a single string, not a list
    assert is_addressed_publicly({"cc": spelling})


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        (RITA, [RITA]),
        ([RITA, FOLLOWERS], [RITA, FOLLOWERS]),
        ({"id": RITA, "type": "Person"}, [RITA]),  # embedded, as some servers send actors
        ([RITA, RITA, "as:Public", PUBLIC], [RITA, PUBLIC]),  # once each, in order
        ([5, None, {"type": "Person"}, ""], []),  # names nobody
        (None, []),
    ],
)
def test_one_value_or_many_name_the_same_ids(value: Any, ids: list[str]) -> None:
    assert addressed_ids(value) == ids


def test_a_followers_only_document_is_addressed_to_the_collection_and_not_public() -> None:
    document = {"to": FOLLOWERS, "cc": [RITA], "bcc": ["https://b.example/u/x"]}
    assert addressees(document) == {FOLLOWERS, RITA, "https://b.example/u/x"}
    assert not is_addressed_publicly(document)


def test_the_fields_read_can_be_narrowed() -> None:
    document = {"to": [PUBLIC], "audience": "https://lemmy.example/c/town", "bto": RITA}
    assert addressees(document, ("to", "audience")) == {PUBLIC, "https://lemmy.example/c/town"}
    assert addressees(document) == {PUBLIC, "https://lemmy.example/c/town", RITA}
