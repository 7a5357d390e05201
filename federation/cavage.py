"""draft-cavage-http-signatures-12: parse the Signature header, build the signing string.

Pure functions over lower-case header mappings; the orchestration (key
lookup, digest and time checks) lives in ``federation.signatures``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from federation.errors import MalformedSignature, MissingSignedHeader

ALGORITHMS = frozenset({"rsa-sha256", "hs2019"})
DEFAULT_ALGORITHM = "hs2019"
DEFAULT_HEADERS = "date"

_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^,"\s]*))\s*(?:,|$)')


def parse_params(value: str) -> dict[str, str]:
    """Parse ``keyId="…",headers="…",…`` into a dict with lower-case parameter names."""
    params: dict[str, str] = {}
    pos = 0
    while pos < len(value):
        match = _PARAM.match(value, pos)
        if match is None or match.end() == pos:
            raise MalformedSignature(f"unparseable Signature header near offset {pos}")
        params[match.group(1).lower()] = match.group(2) or match.group(3) or ""
        pos = match.end()
    return params


def decode_signature(encoded: str) -> bytes:
    """Decode the base64 ``signature`` parameter."""
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise MalformedSignature("the signature is not valid base64") from exc


def check_coverage(names: Sequence[str], has_body: bool) -> None:
    """Refuse signatures that leave the target, the date or (with a body) host/digest out."""
    required = ["(request-target)"] + (["host", "digest"] if has_body else [])
    for name in required:
        if name not in names:
            raise MissingSignedHeader(name)
    if "date" not in names and "(created)" not in names:
        raise MissingSignedHeader("date", "date or (created) must be covered by the signature")


def signing_string(
    names: Sequence[str], target: str, headers: Mapping[str, str], params: Mapping[str, str]
) -> str:
    """Build the signing string from exactly ``names``, in order; headers are lower-case."""
    lines = []
    for name in names:
        if name == "(request-target)":
            value = target
        elif name in ("(created)", "(expires)"):
            value = params.get(name[1:-1], "")
            if not value:
                raise MalformedSignature(f"{name} is signed but the {name[1:-1]} param is absent")
        elif name in headers:
            value = headers[name]
        else:
            raise MissingSignedHeader(name, f"signed header {name} is absent from the request")
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


def request_targets(method: str, url: str) -> list[str]:
    """Return ``(request-target)`` with the query, then without (Mastodon tries both too)."""
    parts = urlsplit(url)
    target = f"{method.lower()} {parts.path or '/'}"
    return [f"{target}?{parts.query}", target] if parts.query else [target]


def key_algorithms(algorithm: str, key: PublicKeyTypes) -> tuple[str, ...]:
    """Map a cavage algorithm and the signer's key type to RFC 9421 algorithm names."""
    if isinstance(key, RSAPublicKey):
        return ("rsa-v1_5-sha256",)
    if isinstance(key, Ed25519PublicKey) and algorithm == "hs2019":
        return ("ed25519",)
    return ()
