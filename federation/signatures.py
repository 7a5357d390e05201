"""HTTP signatures for ActivityPub: sign outgoing requests, verify incoming ones.

Incoming requests may be signed with draft-cavage-http-signatures-12 (what
Mastodon and most of the fediverse send) or with RFC 9421 HTTP Message
Signatures (Fedify and newer servers); when both are present RFC 9421 wins.
Outgoing requests are signed draft-cavage style; ``sign_request_rfc9421`` is
there for the RFC 9421 retry ("double knock").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Literal, Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
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

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DIGEST_HASHES = {"sha-256": "sha256", "sha-512": "sha512"}
_SIGNATURE_HEADERS = frozenset({"signature", "signature-input", "digest", "content-digest"})


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
        return bool(self.body) or self.method in _BODY_METHODS


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


# --- signing -----------------------------------------------------------------


def sign_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key: SigningKey,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """Sign a request draft-cavage style (rsa-sha256); return all the headers to send."""
    unsigned = prepare_request(method, url, headers, body, key, now=now)
    return unsigned.complete(rsa_sign(key.private_key, unsigned.signing_string))


@dataclass(frozen=True)
class UnsignedRequest:
    """A request's headers and draft-cavage signing string, waiting for the RSA signature
    (which `sign_request` computes in place and a delivery may compute in another process)."""

    headers: dict[str, str]
    signing_string: bytes
    key_id: str
    signed_names: tuple[str, ...]

    def complete(self, signature: bytes) -> dict[str, str]:
        """All the headers to send, with the Signature header carrying `signature`."""
        encoded = base64.b64encode(signature).decode("ascii")
        return {
            **self.headers,
            "Signature": f'keyId="{self.key_id}",algorithm="rsa-sha256",'
            f'headers="{" ".join(self.signed_names)}",signature="{encoded}"',
        }


def prepare_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key: SigningKey,
    *,
    now: datetime | None = None,
) -> UnsignedRequest:
    """Everything of `sign_request` but the RSA signature: Host, Date, Digest, the string."""
    out, body, _ = _base_headers(method, url, headers, body, now)
    present = _normalise_headers(out)
    names = ["(request-target)", "host", "date"]
    if body is not None:
        _set_header(out, "Digest", body_digest(body))
        names += ["digest"] + (["content-type"] if "content-type" in present else [])
    elif "accept" in present:
        names.append("accept")
    target = cavage.request_targets(method, url)[0]
    text = cavage.signing_string(names, target, _normalise_headers(out), {})
    return UnsignedRequest(out, text.encode("utf-8"), key.key_id, tuple(names))


def sign_request_rfc9421(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key: SigningKey,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """Sign a request per RFC 9421 (rsa-v1_5-sha256); return all the headers to send."""
    out, body, moment = _base_headers(method, url, headers, body, now)
    components = ["@method", "@target-uri", "@authority"]
    if body is not None:
        _set_header(out, "Content-Digest", rfc9421.content_digest(body))
        components.append("content-digest")
    components.append("date")
    params = (
        ("alg", rfc9421.DEFAULT_RSA_ALGORITHM),
        ("keyid", key.key_id),
        ("created", int(moment.timestamp())),
    )
    serialized = rfc9421.serialize_signature_params(components, params)
    base = rfc9421.signature_base(
        components, serialized, method.upper(), url, _normalise_headers(out)
    )
    out["Signature-Input"] = f"sig1={serialized}"
    signature = base64.b64encode(rsa_sign(key.private_key, base.encode("utf-8")))
    out["Signature"] = f"sig1=:{signature.decode('ascii')}:"
    return out


def _base_headers(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None, now: datetime | None
) -> tuple[dict[str, str], bytes | None, datetime]:
    """Copy the headers minus any earlier signature, then set Host and Date.

    A body-carrying method always gets a (possibly empty) body so it is digested.
    """
    moment = _as_utc(now or datetime.now(UTC))
    # Re-signing (e.g. after a redirect) must not leave a stale signature behind.
    out = {k: v for k, v in headers.items() if k.lower() not in _SIGNATURE_HEADERS}
    _set_header(out, "Host", rfc9421.authority(url))
    _set_header(out, "Date", _http_date(int(moment.timestamp())))
    if body is None and method.upper() in _BODY_METHODS:
        body = b""
    return out, body, moment


@lru_cache(maxsize=4)
def _http_date(epoch_seconds: int) -> str:
    """The Date header for a second (a fan-out signs many requests in each one)."""
    return format_datetime(datetime.fromtimestamp(epoch_seconds, UTC), usegmt=True)


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    for existing in [k for k in headers if k.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


def rsa_sign(private_key: RSAPrivateKey, data: bytes) -> bytes:
    """The rsa-sha256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `data`."""
    return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())


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
    request = _Request(method.upper(), url, _normalise_headers(headers), body or b"")
    moment = _as_utc(now or datetime.now(UTC))
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
        return _as_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError) as exc:
        raise MalformedSignature(f"unparseable Date header {value!r}") from exc


def _from_epoch(value: int | str) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise MalformedSignature(f"bad timestamp {value!r} in the signature") from exc


def _as_utc(moment: datetime) -> datetime:
    """Treat naive datetimes as UTC and convert aware ones to UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _normalise_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case names, strip values, and join repeated fields with ', ' (RFC 9110)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        key, value = name.lower(), value.strip()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out
