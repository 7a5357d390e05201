"""Which follower servers get a preview Note: their NodeInfo, read and cached, and the table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from federation.nodeinfo import Software, nodeinfo_link, software_of
from node.appkeys import FETCH_CLIENT
from node.article_reach import mishandles_article, version_tuple
from node.config import Config
from node.models import Host
from node.services.host_software import learn_software
from tests.fakes import FakeRemote

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nodeinfo"


def recorded(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return document


def test_the_recorded_nodeinfo_of_takahe_misskey_and_mastodon_name_their_software() -> None:
    # Given the recorded documents, Then each names its software and version
    assert software_of(recorded("takahe-0.11.0.json")) == Software("takahe", "0.11.0")
    assert software_of(recorded("misskey-2024.11.0.json")) == Software("misskey", "2024.11.0")
    assert software_of(recorded("mastodon-4.3.2.json")) == Software("mastodon", "4.3.2")
    # and junk names none
    assert software_of({"software": {"name": 3}}) is None
    assert software_of(["takahe"]) is None


def test_the_newest_nodeinfo_2_link_is_followed_and_other_schemas_are_not() -> None:
    base = "http://nodeinfo.diaspora.software/ns/schema/"
    discovery = {
        "links": [
            {"rel": base + "1.0", "href": "https://a.example/1.0"},
            {"rel": base + "2.0", "href": "https://a.example/2.0"},
            {"rel": base + "2.1", "href": "https://a.example/2.1"},
            {"rel": "self", "href": "https://a.example/other"},
        ]
    }
    assert nodeinfo_link(discovery) == "https://a.example/2.1"
    assert nodeinfo_link({"links": [{"rel": base + "1.0", "href": "x"}]}) is None
    assert nodeinfo_link("not a document") is None


def test_takahe_and_misskey_are_listed_as_mishandling_articles_and_mastodon_is_not() -> None:
    assert mishandles_article("takahe", "0.11.0")
    assert mishandles_article("Misskey", "2024.11.0")
    assert mishandles_article("misskey", "")  # a listed software with no version: preview
    assert not mishandles_article("mastodon", "4.3.2")
    assert not mishandles_article("", "")
    assert version_tuple("0.11.0+fake") == (0, 11, 0)
    assert version_tuple("v") == ()


async def test_a_misskey_servers_nodeinfo_is_read_over_http_and_cached_in_its_host_row(
    client: TestClient, node_config: Config
) -> None:
    async with FakeRemote(software="misskey") as misskey, FakeRemote() as silent:
        # Given a Misskey server serving its NodeInfo, and one whose NodeInfo is junk
        misskey.nodeinfo = recorded("misskey-2024.11.0.json")
        silent.nodeinfo = {"software": "none"}
        fetch = client.app[FETCH_CLIENT]
        # When the node asks both
        learnt = await learn_software(fetch, f"{misskey.base_url}/inbox")
        nothing = await learn_software(fetch, f"{silent.base_url}/inbox")
        # Then Misskey's software is cached, and the other is remembered as unknown
        assert learnt == Software("misskey", "2024.11.0")
        assert nothing is None
        row = await Host.get(domain=misskey.host)
        assert (row.software, row.software_version) == ("misskey", "2024.11.0")
        assert row.software_checked_at is not None
        unknown = await Host.get(domain=silent.host)
        assert unknown.software == "" and unknown.software_checked_at is not None
        # and the GETs went to the well-known discovery document, then the 2.0 document
        paths = [r.path for r in misskey.requests if r.method == "GET"]
        assert paths == ["/.well-known/nodeinfo", "/nodeinfo/2.0"]
