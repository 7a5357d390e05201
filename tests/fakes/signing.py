"""Signing what a fake remote sends: the usual ways, the quirky ways, the hostile ways.

The plain cases use ``federation.signing`` (``sign_request`` for
draft-cavage, ``sign_request_rfc9421``). The quirks real servers have (lower-case
``sha-256=``, ``algorithm="hs2019"`` or none, extra signed headers such as
``user-agent``) and the hostile variants (an omitted digest) need a signer with
knobs, built here on ``federation.cavage.signing_string``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from federation import cavage
from federation.rfc9421 import authority
from federation.signatures import SigningKey
from federation.signing import sign_request, sign_request_rfc9421

Scheme = Literal["cavage", "rfc9421"]
DigestCase = Literal["SHA-256", "sha-256"]
# unsigned: no signature at all; body_changed: the body is altered after signing;
# digest_unsigned: Digest is sent but not covered by the signature;
# wrong_key: signed with a key that is not the one keyId names.
Tamper = Literal["unsigned", "body_changed", "digest_unsigned", "wrong_key"]


@dataclass(frozen=True)
class SignOptions:
    """How to sign one outgoing POST."""

    scheme: Scheme = "cavage"
    algorithm: str | None = "rsa-sha256"  # the cavage algorithm parameter; None omits it
    digest_case: DigestCase = "SHA-256"
    extra_signed_headers: tuple[str, ...] = ()
    date_offset: float = 0.0  # seconds added to the signing time (negative: in the past)
    tamper: Tamper | None = None

    @property
    def plain(self) -> bool:
        """Whether ``federation.signing.sign_request`` produces exactly this."""
        return (
            self.algorithm == "rsa-sha256"
            and self.digest_case == "SHA-256"
            and not self.extra_signed_headers
            and self.tamper in (None, "body_changed", "wrong_key")
        )


def sign_post(
    url: str, headers: Mapping[str, str], body: bytes, key: SigningKey, options: SignOptions
) -> tuple[dict[str, str], bytes]:
    """Return the headers and the body to POST, signed (or mis-signed) as ``options`` says.

    For ``wrong_key`` the caller passes a key whose private half is not the keyId's.
    """
    now = datetime.now(UTC) + timedelta(seconds=options.date_offset)
    if options.tamper == "unsigned":
        out = {**headers, "Date": format_datetime(now, usegmt=True), "Digest": _digest(body)}
    elif options.scheme == "rfc9421":
        _refuse_cavage_knobs(options)
        out = sign_request_rfc9421("POST", url, headers, body, key, now=now)
    elif options.plain:
        out = sign_request("POST", url, headers, body, key, now=now)
    else:
        out = _sign_cavage_with_knobs(url, headers, body, key, options, now)
    if options.tamper == "body_changed":
        body = changed_body(body)
    return out, body


def sign_get(
    url: str, headers: Mapping[str, str], key: SigningKey, scheme: Scheme = "cavage"
) -> dict[str, str]:
    """Sign a GET (draft-cavage covers ``accept`` when present, as Mastodon does)."""
    if scheme == "rfc9421":
        return sign_request_rfc9421("GET", url, headers, None, key)
    return sign_request("GET", url, headers, None, key)


def changed_body(body: bytes) -> bytes:
    """The body with one more JSON member (or one more byte): same shape, other digest."""
    try:
        document = json.loads(body)
    except ValueError:
        return body + b" "
    if not isinstance(document, dict):
        return body + b" "
    return json.dumps({**document, "tampered": True}).encode("utf-8")


def _refuse_cavage_knobs(options: SignOptions) -> None:
    if options.algorithm != "rsa-sha256" or options.digest_case != "SHA-256":
        raise ValueError("algorithm and digest_case are draft-cavage knobs")
    if options.extra_signed_headers or options.tamper == "digest_unsigned":
        raise ValueError("extra_signed_headers and digest_unsigned are draft-cavage knobs")


def _digest(body: bytes, case: DigestCase = "SHA-256") -> str:
    return f"{case}=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def _sign_cavage_with_knobs(
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    key: SigningKey,
    options: SignOptions,
    now: datetime,
) -> dict[str, str]:
    out = {
        **headers,
        "Host": authority(url),
        "Date": format_datetime(now, usegmt=True),
        "Digest": _digest(body, options.digest_case),
    }
    names = ["(request-target)", "host", "date"]
    names += [] if options.tamper == "digest_unsigned" else ["digest"]
    names += [name.lower() for name in options.extra_signed_headers]
    lowered = {name.lower(): value for name, value in out.items()}
    target = cavage.request_targets("POST", url)[0]
    text = cavage.signing_string(names, target, lowered, {})
    signature = key.private_key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    params = [f'keyId="{key.key_id}"']
    params += [f'algorithm="{options.algorithm}"'] if options.algorithm else []
    params += [f'headers="{" ".join(names)}"']
    params += [f'signature="{base64.b64encode(signature).decode("ascii")}"']
    out["Signature"] = ",".join(params)
    return out
