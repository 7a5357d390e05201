"""The checks of FediTest's WebFinger server tests (feditest-tests-fediverse,
tests/webfinger/server/), written again from RFC 7033 (CI reaches no code repository), against
any node: in process (tests/web/test_conformance.py) and behind TLS on port 443 with a `.test`
host name (tests/interop/test_feditest_checks.py).

Each check takes the node (`Target`) and a `Fetch`: a GET of the WebFinger endpoint with a raw
query string, answered as an `Answer`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import schemas

JRD = "application/jrd+json"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
SUBSCRIBE = "http://ostatus.org/schema/1.0/subscribe"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type (no parameters), headers, parsed JSON (or text)."""

    status: int
    media_type: str
    headers: Mapping[str, str]
    body: Any


Fetch = Callable[[str], Awaitable[Answer]]


@dataclass(frozen=True)
class Target:
    """The node under test: its base URL, host (as in acct: URIs) and a local actor's handle."""

    base: str
    host: str
    handle: str

    @property
    def acct(self) -> str:
        """acct:handle@host."""
        return f"acct:{self.handle}@{self.host}"

    @property
    def actor_url(self) -> str:
        """The actor's own URL."""
        return f"{self.base}/actors/{self.handle}"

    def bad_queries(self) -> list[str]:
        """Queries with no resource, or a resource with no URI scheme (or an acct: URI with no
        host), or `resource` given as `resource==…` (§4.2: 400)."""
        malformed = [
            f"{self.handle}@{self.host}",
            f"@{self.handle}@{self.host}",
            f"={self.acct}",
            f"acct:{self.handle}",
        ]
        doubled = f"resource=={quote(self.acct)}"
        return ["", "rel=self", *(query(each) for each in malformed), doubled]

    def not_here(self) -> list[str]:
        """Resources of this node's schemes that name nothing it holds (§4.2: 404)."""
        return [
            f"acct:nobody@{self.host}",
            f"acct:{self.handle}@elsewhere.example",  # another host
            f"{self.base}/actors/nobody",
            f"{self.base}/objects/never-was",
        ]

    def unknown_schemes(self) -> list[str]:
        """Resources in schemes the node does not serve (§4.2: 404, not 400)."""
        return ["mailto:abc@def.com", f"foo://{self.host}", f"xmpp:{self.handle}@{self.host}"]


# (rel parameters, rels kept; None: every link)
REL_FILTERS: list[tuple[list[str], list[str] | None]] = [
    (["self"], ["self"]),
    ([PROFILE_PAGE], [PROFILE_PAGE]),
    (["something-else"], []),
    (["something-else", "self"], ["self"]),
    (["self", PROFILE_PAGE, SUBSCRIBE], None),  # every relation we serve: all kept
]


def query(resource: str, *rels: str) -> str:
    """A WebFinger query string."""
    return urlencode([("resource", resource), *(("rel", rel) for rel in rels)])


async def check_a_valid_jrd_with_cors(fetch: Fetch, node: Target) -> dict[str, Any]:
    """§4.2, §5: the JRD of an account, valid, with CORS for browsers; the JRD."""
    answer = await fetch(query(node.acct))
    assert answer.status == 200, answer
    assert answer.media_type == JRD, answer
    assert answer.headers.get("Access-Control-Allow-Origin") == "*", answer.headers
    jrd = answer.body
    schemas.validate("webfinger", jrd)
    assert jrd["subject"] == node.acct
    assert all(isinstance(link["rel"], str) for link in jrd["links"])
    self_links = [link for link in jrd["links"] if link["rel"] == "self"]
    assert [link["href"] for link in self_links] == [node.actor_url], jrd
    return dict(jrd)


async def check_refused_with_400(fetch: Fetch, raw_query: str) -> None:
    """§4.2: no resource, or one without a scheme, is a bad request, never a JRD."""
    answer = await fetch(raw_query)
    assert answer.status == 400, (raw_query, answer)
    assert answer.media_type != JRD, answer
    assert not (isinstance(answer.body, dict) and "subject" in answer.body), answer


async def check_not_found(fetch: Fetch, resource: str) -> None:
    """§4.2: a resource the node holds nothing about (another host, an unknown scheme): 404."""
    answer = await fetch(query(resource))
    assert answer.status == 404, (resource, answer)
    assert answer.media_type != JRD, answer


async def check_the_actor_url_gives_the_same_jrd(fetch: Fetch, node: Target) -> None:
    """§4.1: the actor's own URL as resource answers the same JRD as its acct: URI."""
    by_acct = (await fetch(query(node.acct))).body
    answer = await fetch(query(node.actor_url))
    assert answer.status == 200, answer
    assert answer.media_type == JRD, answer
    assert answer.headers.get("Access-Control-Allow-Origin") == "*", answer.headers
    assert answer.body == by_acct


async def check_rel_filters_the_links(
    fetch: Fetch, node: Target, rels: list[str], kept: list[str] | None
) -> None:
    """§4.3: `rel` keeps only the links of those relations and changes nothing else."""
    everything = (await fetch(query(node.acct))).body
    answer = await fetch(query(node.acct, *rels))
    assert answer.status == 200, answer
    jrd = answer.body
    wanted = [link["rel"] for link in everything["links"]] if kept is None else kept
    assert [link["rel"] for link in jrd["links"]] == wanted
    assert all(link in everything["links"] for link in jrd["links"])
    assert {k: v for k, v in jrd.items() if k != "links"} == {
        k: v for k, v in everything.items() if k != "links"
    }
