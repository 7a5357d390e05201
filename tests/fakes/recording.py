"""What a fake remote received: every request, its signature check, and waiting for one."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from tests.fakes.verification import SignatureCheck

DEFAULT_WAIT = 10.0
POLL_INTERVAL = 0.02


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, and what it answered."""

    method: str
    path: str  # path and query, as sent
    url: str
    headers: CIMultiDictProxy[str]
    body: bytes
    json: dict[str, Any]  # the body parsed, or {} when it is not a JSON object
    signature: SignatureCheck
    status: int
    inbox: str | None  # the inbox URL for a POST to an inbox, else None
    received_at: float  # time.monotonic()

    @property
    def type(self) -> str | None:
        """The ``type`` of a JSON body (Follow, Accept …), if any."""
        found = self.json.get("type")
        return found if isinstance(found, str) else None

    def summary(self) -> str:
        """One line for failure messages."""
        about = f" {self.type} id={self.json.get('id')}" if self.type else ""
        return f"{self.method} {self.path} -> {self.status}{about}; signature {self.signature}"


class RequestLog:
    """The requests a server received, in order, with polling waits over them."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []

    @property
    def where(self) -> str:
        """What to call this server in failure messages."""
        return "the fake"

    def record(
        self,
        method: str,
        path: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        check: SignatureCheck,
        status: int,
        inbox: str | None = None,
    ) -> RecordedRequest:
        """Add one request to the log."""
        recorded = RecordedRequest(
            method=method,
            path=path,
            url=url,
            headers=CIMultiDictProxy(CIMultiDict(headers)),
            body=body,
            json=json_object(body),
            signature=check,
            status=status,
            inbox=inbox,
            received_at=time.monotonic(),
        )
        self.requests.append(recorded)
        return recorded

    def received(self, type: str | None = None) -> list[RecordedRequest]:
        """POSTs that reached an inbox, optionally only those whose body has ``type``."""
        return [
            r for r in self.requests if r.inbox is not None and (type is None or r.type == type)
        ]

    def clear(self) -> None:
        """Forget what was received."""
        self.requests.clear()

    async def wait_for(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = DEFAULT_WAIT,
        *,
        interval: float = POLL_INTERVAL,
    ) -> RecordedRequest:
        """Poll until a recorded request matches; fail listing what did arrive.

        A predicate raising LookupError or TypeError (``r.json["object"]["id"]`` on a
        GET) counts as no match.
        """
        deadline = time.monotonic() + timeout
        while True:
            found, last_error = _first_match(self.requests, predicate)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(self._nothing_matched(timeout, last_error))
            await asyncio.sleep(interval)

    def _nothing_matched(self, timeout: float, error: Exception | None) -> str:
        lines = [f"no request to {self.where} matched within {timeout} s"]
        if error is not None:
            lines.append(f"(the predicate raised {type(error).__name__}: {error})")
        lines.append(f"{len(self.requests)} received:")
        lines += [f"  {r.summary()}" for r in self.requests] or ["  (nothing)"]
        return "\n".join(lines)


def _first_match(
    requests: Sequence[RecordedRequest], predicate: Callable[[RecordedRequest], bool]
) -> tuple[RecordedRequest | None, Exception | None]:
    error: Exception | None = None
    for recorded in list(requests):
        try:
            if predicate(recorded):
                return recorded, None
        except (LookupError, TypeError) as exc:
            error = exc
    return None, error


def parse_json(body: bytes) -> Any:
    """The parsed body, or None when it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def json_object(body: bytes) -> dict[str, Any]:
    """The parsed body when it is a JSON object, else {}."""
    parsed = parse_json(body) if body else None
    return parsed if isinstance(parsed, dict) else {}
