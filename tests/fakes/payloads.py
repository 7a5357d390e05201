"""Recorded payloads from ``tests/fixtures/remote``, moved onto a fake server.

A recorded document names its origin server (``http://mastodon.example.org``)
and its actor (``…/users/admin``). ``Rehoming`` rewrites those to the fake's
base URL and actor, keeping everything else as recorded; with ``fresh_ids`` the
opaque parts of its ids (Mastodon's numbers, Pleroma's and Lemmy's UUIDs,
GoToSocial's ULIDs) are replaced consistently, so one template yields many
distinct activities whose ids still point at each other as in the recording.
``@context`` is never touched: contexts are names, not places on the origin.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "remote"

# Hosts that name vocabularies rather than servers: never "foreign" to a payload.
VOCABULARY_HOSTS = frozenset({"www.w3.org", "w3id.org"})

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ULID = r"[0-9A-HJKMNP-TV-Z]{26}"
_TOKEN = re.compile(rf"(?<=[/#])({_UUID}|{_ULID}|[0-9]+)(?=$|[/#?])")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Fresh numeric ids: unique within the process, and unlikely to repeat across runs.
_SERIAL = itertools.count(10**15 + secrets.randbelow(10**14) * 10)


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def load_fixture(name: str) -> dict[str, Any]:
    """A fresh copy of ``tests/fixtures/remote/<name>`` (e.g. ``mastodon/follow.json``)."""
    document = json.loads(_fixture_text(name))
    if not isinstance(document, dict):
        raise ValueError(f"fixture {name} is not a JSON object")
    return document


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    """The host (with port) of an absolute URL, or '' for anything else."""
    if not url.startswith(("http://", "https://")):
        return ""
    return urlsplit(url).netloc.lower()


@dataclass
class Rehoming:
    """How to move one recorded document from its origin server onto a fake one."""

    old_actor: str
    new_actor: str
    fresh_ids: bool = False
    also_from: tuple[str, ...] = ()  # more origins of the recording (an id on another host)
    _tokens: dict[str, str] = field(default_factory=dict)

    @property
    def old_origin(self) -> str:
        """The recorded server's origin."""
        return origin_of(self.old_actor)

    @property
    def new_origin(self) -> str:
        """The fake server's origin."""
        return origin_of(self.new_actor)

    def apply(self, document: dict[str, Any]) -> dict[str, Any]:
        """A rehomed deep copy of ``document``; a stale LD ``signature`` is dropped."""
        out = {k: v for k, v in copy.deepcopy(document).items() if k != "signature"}
        return {k: (v if k == "@context" else self._value(v)) for k, v in out.items()}

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._string(value)
        if isinstance(value, list):
            return [self._value(item) for item in value]
        if isinstance(value, dict):
            return {k: (v if k == "@context" else self._value(v)) for k, v in value.items()}
        return value

    def _string(self, value: str) -> str:
        pairs = [(self.old_actor, self.new_actor), (self.old_origin, self.new_origin)]
        pairs += [(origin, self.new_origin) for origin in self.also_from]
        for old, new in pairs:
            if value == old or value.startswith((old + "/", old + "#", old + "?")):
                return new + self._rest(value[len(old) :])
        old_host, new_host = urlsplit(self.old_origin).netloc, urlsplit(self.new_origin).netloc
        # Inside HTML or tag: URIs the origin appears without being the whole value.
        return value.replace(self.old_origin, self.new_origin).replace(old_host, new_host)

    def _rest(self, rest: str) -> str:
        path, sep, query = rest.partition("?")
        path = path.replace(f"/@{_username(self.old_actor)}", f"/@{_username(self.new_actor)}")
        if self.fresh_ids:
            path = _TOKEN.sub(lambda m: self._fresh(m.group(1)), path)
        return path + sep + query

    def _fresh(self, token: str) -> str:
        if token not in self._tokens:
            self._tokens[token] = _new_token(token)
        return self._tokens[token]


def _username(actor_id: str) -> str:
    return urlsplit(actor_id).path.rstrip("/").rsplit("/", 1)[-1]


def _new_token(old: str) -> str:
    if re.fullmatch(_UUID, old):
        return str(uuid.uuid4())
    if re.fullmatch(_ULID, old):
        return "".join(secrets.choice(_CROCKFORD) for _ in range(26))
    return str(next(_SERIAL))


def foreign_hosts(document: dict[str, Any], *own_origins: str) -> frozenset[str]:
    """Hosts a recorded document mentions besides its own origins (outside ``@context``)."""
    own = {urlsplit(origin).netloc.lower() for origin in own_origins}
    found = {host_of(s) for s in _strings(document)} - own - {""}
    return frozenset(found - VOCABULARY_HOSTS)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield from _strings(item)


def scrub(value: Any, hosts: frozenset[str]) -> Any:
    """Drop every URL on one of ``hosts``: the recording's third parties, not ours.

    A dict key whose value is such a URL goes; a list item that is one, or is an
    object containing one (a Mention of somebody else), goes too.
    """
    if isinstance(value, dict):
        return {
            k: (v if k == "@context" else scrub(v, hosts))
            for k, v in value.items()
            if k == "@context" or not (isinstance(v, str) and host_of(v) in hosts)
        }
    if isinstance(value, list):
        kept = [item for item in value if not any(host_of(s) in hosts for s in _strings(item))]
        return [scrub(item, hosts) for item in kept]
    return value
