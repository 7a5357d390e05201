"""Signing outgoing requests: draft-cavage (`sign_request`, what Mastodon expects) and
RFC 9421 (`sign_request_rfc9421`, for the "double knock" retry). `prepare_request` does all
but the RSA part, which a delivery may have computed in another process (signing_process.py).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from federation import cavage, rfc9421
from federation.signatures import (
    BODY_METHODS,
    SigningKey,
    as_utc,
    body_digest,
    normalise_headers,
)

# Re-signing (e.g. after a redirect) must not leave a stale signature behind.
_SIGNATURE_HEADERS = frozenset({"signature", "signature-input", "digest", "content-digest"})


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
    present = normalise_headers(out)
    names = ["(request-target)", "host", "date"]
    if body is not None:
        _set_header(out, "Digest", body_digest(body))
        names += ["digest"] + (["content-type"] if "content-type" in present else [])
    elif "accept" in present:
        names.append("accept")
    target = cavage.request_targets(method, url)[0]
    text = cavage.signing_string(names, target, normalise_headers(out), {})
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
        components, serialized, method.upper(), url, normalise_headers(out)
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
    moment = as_utc(now or datetime.now(UTC))
    # Re-signing (e.g. after a redirect) must not leave a stale signature behind.
    out = {k: v for k, v in headers.items() if k.lower() not in _SIGNATURE_HEADERS}
    _set_header(out, "Host", rfc9421.authority(url))
    _set_header(out, "Date", _http_date(int(moment.timestamp())))
    if body is None and method.upper() in BODY_METHODS:
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
