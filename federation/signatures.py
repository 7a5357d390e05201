"""HTTP signatures for ActivityPub: verifying incoming requests, and the keys and helpers
that signing (federation/signing.py) shares.

Incoming requests may be signed with draft-cavage-http-signatures-12 (what
Mastodon and most of the fediverse send) or with RFC 9421 HTTP Message
Signatures (Fedify and newer servers); when both are present RFC 9421 wins.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from federation import cavage, rfc9421
from federation.errors import (
    BadSignature,
    DateOutOfWindow,
    DigestMismatch,
    KeyFormatError,
    MalformedSignature,
    MissingSignature,
    MissingSignedHeader,
    UnknownKey,
    UnsupportedAlgorithm,
)
from federation.keys import load_public_key

# Mastodon's window: a signature may be 1 h 5 min old (12 h if it carries a
# signed expiry still in the future) and at most 1 h ahead of our clock.
MAX_AGE = timedelta(hours=1, minutes=5)
MAX_AGE_WITH_EXPIRES = timedelta(hours=12)
MAX_CLOCK_AHEAD = timedelta(hours=1)

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DIGEST_HASHES = {"sha-256": "sha256", "sha-512": "sha512"}


@dataclass(frozen=True)
class SigningKey:
    """The key an actor signs outgoing requests with."""

    key_id: str
    private_key: RSAPrivateKey


@dataclass(frozen=True)
class ResolvedKey:
    """A public key found for a key id, and the actor that owns it."""

    key_id: str
    owner: str
    public_key_pem: str


class KeyResolver(Protocol):
    """Finds the public key for a key id; raises UnknownKey when there is none."""

    async def __call__(self, key_id: str, *, refresh: bool) -> ResolvedKey:
        """Return the key; ``refresh=True`` asks to bypass any cache (key rotation)."""
        ...


@dataclass(frozen=True)
class VerifiedSignature:
    """What a successful verification proved: who signed which parts."""

    key_id: str
    owner: str
    scheme: Literal["draft-cavage", "rfc9421"]
    signed_components: tuple[str, ...]


@dataclass(frozen=True)
class _Request:
    method: str
    url: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def has_body(self) -> bool:
        return bool(self.body) or self.method in BODY_METHODS


# --- digests -----------------------------------------------------------------


def body_digest(body: bytes) -> str:
    """Return the Digest header value for a body: ``SHA-256=<base64>``."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def parse_digest_header(value: str) -> dict[str, str]:
    """Split a Digest header into {lower-case algorithm: base64 value}; skip junk parts."""
    digests: dict[str, str] = {}
    for part in value.split(","):
        algorithm, sep, digest = part.strip().partition("=")
        if sep and algorithm and digest:
            digests[algorithm.strip().lower()] = digest.strip()
    return digests


def _check_digest(value: str | None, body: bytes) -> None:
    if value is None:
        raise MissingSignedHeader("digest", "the request has a body but no Digest header")
    known = {a: v for a, v in parse_digest_header(value).items() if a in _DIGEST_HASHES}
    if not known:
        raise DigestMismatch("Digest header has no SHA-256 or SHA-512 value")
    for algorithm, encoded in known.items():
        try:
            claimed = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise DigestMismatch(f"Digest {algorithm} is not valid base64") from exc
        if claimed != hashlib.new(_DIGEST_HASHES[algorithm], body).digest():
            raise DigestMismatch(f"Digest {algorithm} does not match the body")


# --- verification ------------------------------------------------------------


async def verify_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    resolve_key: KeyResolver,
    *,
    now: datetime | None = None,
) -> VerifiedSignature:
    """Verify an incoming request's signature (RFC 9421 or draft-cavage) or raise why not."""
    request = _Request(method.upper(), url, normalise_headers(headers), body or b"")
    moment = as_utc(now or datetime.now(UTC))
    if "signature-input" in request.headers:
        return await _verify_rfc9421(request, resolve_key, moment)
    if "signature" in request.headers:
        return await _verify_cavage(request, resolve_key, moment)
    raise MissingSignature("the request has no Signature or Signature-Input header")


async def _verify_rfc9421(
    request: _Request, resolve_key: KeyResolver, now: datetime
) -> VerifiedSignature:
    sig = rfc9421.parse_signature(
        request.headers["signature-input"], request.headers.get("signature")
    )
    key_id, alg = sig.keyid, sig.alg
    if not key_id:
        raise MalformedSignature(f"signature {sig.label} has no keyid parameter")
    if alg is not None and alg not in rfc9421.ALGORITHMS:
        raise UnsupportedAlgorithm(f"signature algorithm {alg!r} is not supported")
    rfc9421.check_coverage(sig.components, request.has_body)
    base = rfc9421.signature_base(
        sig.components, sig.serialized_params(), request.method, request.url, request.headers
    ).encode("utf-8")
    if "content-digest" in sig.components:
        rfc9421.check_content_digest(request.headers["content-digest"], request.body)
    elif "digest" in sig.components:
        _check_digest(request.headers.get("digest"), request.body)
    _check_window(*_rfc9421_times(sig, request.headers), now)

    def attempt(key: PublicKeyTypes) -> bool:
        algorithms = rfc9421.candidate_algorithms(alg, key)
        return any(rfc9421.verify_bytes(a, key, base, sig.signature) for a in algorithms)

    resolved = await _verify_with_rotation(key_id, resolve_key, attempt)
    return VerifiedSignature(key_id, resolved.owner, "rfc9421", sig.components)


def _rfc9421_times(
    sig: rfc9421.SignatureInput, headers: Mapping[str, str]
) -> tuple[datetime, datetime | None]:
    expires = None if sig.expires is None else _from_epoch(sig.expires)
    if sig.created is not None:
        return _from_epoch(sig.created), expires
    if "date" in sig.components:
        return _parse_http_date(headers["date"]), expires
    raise MalformedSignature("the signature has no created parameter and does not cover date")


async def _verify_cavage(
    request: _Request, resolve_key: KeyResolver, now: datetime
) -> VerifiedSignature:
    params = cavage.parse_params(request.headers["signature"])
    key_id, encoded = params.get("keyid"), params.get("signature")
    if not key_id or not encoded:
        raise MalformedSignature("the Signature header needs keyId and signature")
    signature = cavage.decode_signature(encoded)
    algorithm = params.get("algorithm", cavage.DEFAULT_ALGORITHM).lower()
    if algorithm not in cavage.ALGORITHMS:
        raise UnsupportedAlgorithm(f"signature algorithm {algorithm!r} is not supported")
    names = tuple(params.get("headers", cavage.DEFAULT_HEADERS).lower().split())
    cavage.check_coverage(names, request.has_body)
    strings = [
        cavage.signing_string(names, target, request.headers, params).encode("utf-8")
        for target in cavage.request_targets(request.method, request.url)
    ]
    if request.has_body or "digest" in names:
        _check_digest(request.headers.get("digest"), request.body)
    _check_window(*_cavage_times(names, request.headers, params), now)

    def attempt(key: PublicKeyTypes) -> bool:
        algorithms = cavage.key_algorithms(algorithm, key)
        return any(rfc9421.verify_bytes(a, key, s, signature) for a in algorithms for s in strings)

    resolved = await _verify_with_rotation(key_id, resolve_key, attempt)
    return VerifiedSignature(key_id, resolved.owner, "draft-cavage", names)


def _cavage_times(
    names: Sequence[str], headers: Mapping[str, str], params: Mapping[str, str]
) -> tuple[datetime, datetime | None]:
    expires = _from_epoch(params["expires"]) if "(expires)" in names else None
    if "(created)" in names:
        return _from_epoch(params["created"]), expires
    return _parse_http_date(headers["date"]), expires


async def _verify_with_rotation(
    key_id: str, resolve_key: KeyResolver, attempt: Callable[[PublicKeyTypes], bool]
) -> ResolvedKey:
    """Try the cached key, then once more with a refreshed one (the signer may have rotated)."""
    resolved = await resolve_key(key_id, refresh=False)
    if attempt(_public_key(resolved)):
        return resolved
    fresh = await resolve_key(key_id, refresh=True)
    if fresh.public_key_pem != resolved.public_key_pem and attempt(_public_key(fresh)):
        return fresh
    raise BadSignature(f"the signature does not verify with key {key_id}")


@lru_cache(maxsize=4096)
def _parsed_public_key(pem: str) -> PublicKeyTypes:
    # a busy inbox sees the same few keys over and over: parse each PEM once
    return load_public_key(pem)


def _public_key(resolved: ResolvedKey) -> PublicKeyTypes:
    try:
        key = _parsed_public_key(resolved.public_key_pem)
    except KeyFormatError as exc:
        raise UnknownKey(f"key {resolved.key_id} is unusable: {exc.reason}") from exc
    if not isinstance(key, RSAPublicKey | Ed25519PublicKey):
        raise UnsupportedAlgorithm(f"key {resolved.key_id} is {type(key).__name__}")
    return key


def _check_window(signed_at: datetime, expires_at: datetime | None, now: datetime) -> None:
    if signed_at - now > MAX_CLOCK_AHEAD:
        raise DateOutOfWindow(f"signed at {signed_at.isoformat()}, more than 1 h in the future")
    if expires_at is not None and expires_at <= now:
        raise DateOutOfWindow(f"the signature expired at {expires_at.isoformat()}")
    max_age = MAX_AGE if expires_at is None else MAX_AGE_WITH_EXPIRES
    if now - signed_at > max_age:
        raise DateOutOfWindow(f"signed at {signed_at.isoformat()}, older than {max_age}")


def _parse_http_date(value: str) -> datetime:
    try:
        return as_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError) as exc:
        raise MalformedSignature(f"unparseable Date header {value!r}") from exc


def _from_epoch(value: int | str) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise MalformedSignature(f"bad timestamp {value!r} in the signature") from exc


def as_utc(moment: datetime) -> datetime:
    """Treat naive datetimes as UTC and convert aware ones to UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def normalise_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case names, strip values, and join repeated fields with ', ' (RFC 9110)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        key, value = name.lower(), value.strip()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out
