"""Checking the signatures a fake remote receives, with keys fetched from the signer.

``federation.signatures.verify_request`` does the checking; ``HttpKeyResolver``
finds keys the way a real server does, by GETting the keyId from its origin
(signed, for servers that demand it). The fake applies no address rules: it
only ever runs on loopback, talking to test processes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from federation import cavage, rfc9421
from federation.errors import FederationError, SignatureError, UnknownKey
from federation.signatures import ResolvedKey, SigningKey, verify_request
from tests.fakes.signing import sign_get

ACTIVITY_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
KEY_FETCH_TIMEOUT = 5.0


@dataclass(frozen=True)
class SignatureCheck:
    """What checking one request's HTTP signature found.

    ``valid`` is the cryptographic verdict; ``error`` names the federation error
    class that made it invalid, or starts with ``crashed:`` when the check itself
    failed unexpectedly. ``signer_is_actor`` compares the key's owner with the
    body's ``actor``: a valid signature by somebody else is not the actor's word.
    """

    valid: bool
    reason: str
    error: str | None = None
    key_id: str | None = None
    owner: str | None = None
    scheme: str | None = None
    signed: tuple[str, ...] = ()
    actor: str | None = None

    @property
    def signer_is_actor(self) -> bool:
        """Whether a valid signature was made with the key of the activity's actor."""
        return self.valid and self.owner is not None and self.owner == self.actor

    def __str__(self) -> str:
        if self.valid:
            mismatch = "" if self.actor in (None, self.owner) else f", actor is {self.actor}"
            return f"valid ({self.scheme}, signed by {self.owner}{mismatch})"
        return f"invalid: {self.error}: {self.reason}"


def claimed_key_id(headers: Mapping[str, str]) -> str | None:
    """The keyId a request's signature names, without checking anything."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        if "signature-input" in lowered:
            parsed = rfc9421.parse_signature(lowered["signature-input"], lowered.get("signature"))
            return parsed.keyid
        if "signature" in lowered:
            return cavage.parse_params(lowered["signature"]).get("keyid")
    except FederationError:
        return None
    return None


async def check_signature(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    resolver: HttpKeyResolver,
    actor: str | None,
) -> SignatureCheck:
    """Verify a received request; never raises for a bad signature, only reports it."""
    key_id = claimed_key_id(headers)
    try:
        verified = await verify_request(method, url, headers, body, resolver)
    except SignatureError as exc:
        return SignatureCheck(False, exc.reason, type(exc).__name__, key_id=key_id, actor=actor)
    except Exception as exc:  # a bug in the verifier or the fake: say so, don't call it invalid
        error = f"crashed: {type(exc).__name__}"
        return SignatureCheck(False, str(exc), error, key_id=key_id, actor=actor)
    return SignatureCheck(
        valid=True,
        reason="verified",
        key_id=verified.key_id,
        owner=verified.owner,
        scheme=verified.scheme,
        signed=tuple(verified.signed_components),
        actor=actor,
    )


def not_checked(reason: str, key_id: str | None, actor: str | None) -> SignatureCheck:
    """A check that was skipped on purpose (e.g. to break an authorized-fetch cycle)."""
    return SignatureCheck(False, reason, "NotChecked", key_id=key_id, actor=actor)


class HttpKeyResolver:
    """Finds public keys by fetching their keyId over HTTP; caches them per keyId.

    One fetch per keyId at a time: concurrent requests signed with the same key
    wait for the same fetch. ``fetch_signer`` names the key our fetches are signed
    with (None: unsigned), for servers that refuse unsigned GETs.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        fetch_signer: Callable[[], SigningKey | None],
        timeout: float = KEY_FETCH_TIMEOUT,
    ) -> None:
        self._session = session
        self._fetch_signer = fetch_signer
        self._timeout = timeout
        self._cache: dict[str, ResolvedKey] = {}
        self._pending: dict[str, asyncio.Task[ResolvedKey]] = {}
        self.fetches: list[str] = []  # every keyId fetched, in order

    async def __call__(self, key_id: str, *, refresh: bool) -> ResolvedKey:
        """The key for ``key_id``: cached unless ``refresh``; raises UnknownKey."""
        if not refresh and key_id in self._cache:
            return self._cache[key_id]
        task = self._pending.get(key_id)
        if task is None:
            task = asyncio.create_task(self._fetch(key_id))
            self._pending[key_id] = task
        # Shielded: a request giving up must not cancel a fetch others wait for.
        return await asyncio.shield(task)

    async def settled(self, key_id: str, grace: float) -> bool:
        """Wait up to ``grace`` s for a fetch of ``key_id`` in progress; True if none is left.

        A request signed with a key we are fetching right now may be the signer
        fetching *our* key before answering us (both sides requiring signed
        fetches): waiting for our own fetch would deadlock it.
        """
        task = self._pending.get(key_id)
        if task is not None:
            await asyncio.wait({task}, timeout=grace)
        return key_id not in self._pending

    async def close(self) -> None:
        """Cancel fetches still running."""
        tasks = list(self._pending.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _fetch(self, key_id: str) -> ResolvedKey:
        try:
            document = await self._get(key_id.split("#", 1)[0])
            resolved = key_in_document(document, key_id)
            self._cache[key_id] = resolved
            return resolved
        finally:
            self._pending.pop(key_id, None)

    async def _get(self, url: str) -> Any:
        self.fetches.append(url)
        headers = {"Accept": ACTIVITY_ACCEPT}
        signer = self._fetch_signer()
        if signer is not None:
            headers = sign_get(url, headers, signer)
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.get(url, headers=headers) as response,
            ):
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UnknownKey(f"could not fetch {url}: {type(exc).__name__} {exc}") from exc
        if response.status != 200:
            raise UnknownKey(f"GET {url} answered HTTP {response.status}")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise UnknownKey(f"GET {url} did not answer JSON") from exc


def key_in_document(document: Any, key_id: str) -> ResolvedKey:
    """Find ``key_id`` in an actor document (``publicKey``, one or many) or a key document."""
    if not isinstance(document, dict):
        raise UnknownKey(f"the document at {key_id} is not a JSON object")
    candidates = document.get("publicKey", [])
    candidates = candidates if isinstance(candidates, list) else [candidates]
    if "publicKeyPem" in document:
        candidates = [document, *candidates]
    for key in candidates:
        if isinstance(key, dict) and key.get("id") == key_id and "publicKeyPem" in key:
            owner = key.get("owner") or document.get("id")
            return ResolvedKey(key_id, str(owner), str(key["publicKeyPem"]))
    raise UnknownKey(f"no key {key_id} in the document fetched for it")
