"""RFC 9421 HTTP Message Signatures: parse signature fields, build the signature base.

Pure functions over a request given as method, full URL and a mapping of
lower-case header names; the orchestration (key lookup, time window) lives in
``federation.signatures``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from federation import structured_fields as sf
from federation.errors import DigestMismatch, MalformedSignature, MissingSignedHeader

ALGORITHMS = frozenset({"rsa-v1_5-sha256", "rsa-pss-sha512", "ed25519"})
DEFAULT_RSA_ALGORITHM = "rsa-v1_5-sha256"
TARGET_COMPONENTS = ("@target-uri", "@request-target", "@path")

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_CONTENT_DIGESTS = {"sha-256": "sha256", "sha-512": "sha512"}


@dataclass(frozen=True)
class SignatureInput:
    """One signature taken from the Signature-Input and Signature fields."""

    label: str
    components: tuple[str, ...]
    params: sf.Params
    signature: bytes

    def serialized_params(self) -> str:
        """Return the ``@signature-params`` value, re-serialised canonically per RFC 8941."""
        return serialize_signature_params(self.components, self.params)

    @property
    def keyid(self) -> str | None:
        """The ``keyid`` parameter, if any."""
        return self._str_param("keyid")

    @property
    def alg(self) -> str | None:
        """The ``alg`` parameter, if any."""
        return self._str_param("alg")

    @property
    def created(self) -> int | None:
        """The ``created`` parameter (Unix seconds), if any."""
        return self._int_param("created")

    @property
    def expires(self) -> int | None:
        """The ``expires`` parameter (Unix seconds), if any."""
        return self._int_param("expires")

    def _str_param(self, name: str) -> str | None:
        value = dict(self.params).get(name)
        if value is None or isinstance(value, str):
            return value
        raise MalformedSignature(f"signature parameter {name} must be a string")

    def _int_param(self, name: str) -> int | None:
        value = dict(self.params).get(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise MalformedSignature(f"signature parameter {name} must be an integer")


def parse_signature(signature_input: str, signature: str | None) -> SignatureInput:
    """Parse the first signature present in both Signature-Input and Signature."""
    if signature is None:
        raise MalformedSignature("Signature-Input is present but Signature is not")
    try:
        inputs = sf.parse_dictionary(signature_input)
        values = sf.parse_dictionary(signature)
    except sf.StructuredFieldError as exc:
        raise MalformedSignature(f"unparseable signature field: {exc}") from exc
    label = next((name for name in inputs if name in values), None)
    if label is None:
        raise MalformedSignature("no Signature-Input label has a matching Signature")
    return SignatureInput(
        label, _components(inputs[label]), inputs[label].params, _signature_bytes(values[label])
    )


def _components(member: sf.Member) -> tuple[str, ...]:
    if not isinstance(member, sf.InnerList):
        raise MalformedSignature("Signature-Input member must be an inner list")
    names: list[str] = []
    for item in member.items:
        if not isinstance(item.value, str) or isinstance(item.value, sf.Token):
            raise MalformedSignature("covered components must be strings")
        if item.params:
            raise MalformedSignature(f"component parameters are not supported ({item.value})")
        if item.value in names or item.value == "@signature-params":
            raise MalformedSignature(f"component {item.value} is repeated or reserved")
        names.append(item.value)
    return tuple(names)


def _signature_bytes(member: sf.Member) -> bytes:
    if not isinstance(member, sf.Item) or not isinstance(member.value, bytes):
        raise MalformedSignature("Signature member must be a byte sequence")
    return member.value


def serialize_signature_params(components: Sequence[str], params: sf.Params) -> str:
    """Serialise components and parameters as the ``@signature-params`` inner list."""
    return sf.serialize_inner_list(sf.InnerList(tuple(sf.Item(c) for c in components), params))


def authority(url: str) -> str:
    """Return the URL's authority, lower-cased and without a default port."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2].lower()
    default = _DEFAULT_PORTS.get(parts.scheme.lower())
    if default and host.endswith(f":{default}"):
        host = host[: -len(default) - 1]
    return host


def component_value(name: str, method: str, url: str, headers: Mapping[str, str]) -> str:
    """Return one covered component's value; ``headers`` must have lower-case names."""
    parts = urlsplit(url)
    path = parts.path or "/"
    derived = {
        "@method": lambda: method,
        "@target-uri": lambda: url,
        "@authority": lambda: authority(url),
        "@scheme": lambda: parts.scheme.lower(),
        "@request-target": lambda: f"{path}?{parts.query}" if parts.query else path,
        "@path": lambda: path,
        "@query": lambda: f"?{parts.query}",
    }
    if name.startswith("@"):
        if name not in derived:
            raise MalformedSignature(f"derived component {name} is not supported")
        return derived[name]()
    value = headers.get(name.lower())
    if value is None:
        raise MissingSignedHeader(name, f"covered header {name} is absent from the request")
    return value


def signature_base(
    components: Sequence[str],
    serialized_params: str,
    method: str,
    url: str,
    headers: Mapping[str, str],
) -> str:
    """Build the signature base of RFC 9421 section 2.5."""
    lines = [f'"{name}": {component_value(name, method, url, headers)}' for name in components]
    lines.append(f'"@signature-params": {serialized_params}')
    return "\n".join(lines)


def check_coverage(components: Sequence[str], has_body: bool) -> None:
    """Refuse signatures that do not bind the method, the target and any body."""
    if "@method" not in components:
        raise MissingSignedHeader("@method")
    if "@target-uri" not in components:
        if not any(name in components for name in TARGET_COMPONENTS):
            raise MissingSignedHeader("@target-uri")
        if "@authority" not in components and "host" not in components:
            raise MissingSignedHeader("@authority", "a path-only signature must cover @authority")
    if has_body and "content-digest" not in components and "digest" not in components:
        raise MissingSignedHeader("content-digest")


def content_digest(body: bytes) -> str:
    """Return an RFC 9530 Content-Digest value (``sha-256=:<b64>:``) for a body."""
    return f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode('ascii')}:"


def check_content_digest(value: str, body: bytes) -> None:
    """Raise DigestMismatch unless every supported Content-Digest value matches the body."""
    try:
        members = sf.parse_dictionary(value)
    except sf.StructuredFieldError as exc:
        raise DigestMismatch(f"Content-Digest is not a structured field: {exc}") from exc
    known = {name: member for name, member in members.items() if name in _CONTENT_DIGESTS}
    if not known:
        raise DigestMismatch("Content-Digest has no sha-256 or sha-512 value")
    for name, member in known.items():
        if not isinstance(member, sf.Item) or not isinstance(member.value, bytes):
            raise DigestMismatch(f"Content-Digest {name} is not a byte sequence")
        if member.value != hashlib.new(_CONTENT_DIGESTS[name], body).digest():
            raise DigestMismatch(f"Content-Digest {name} does not match the body")


def candidate_algorithms(alg: str | None, key: PublicKeyTypes) -> tuple[str, ...]:
    """Return the algorithms to try: the declared one, else those the key type allows."""
    if alg is not None:
        return (alg,)
    if isinstance(key, RSAPublicKey):
        # RFC 9421 leaves alg optional; its own RSA examples (B.2.x) use PSS.
        return (DEFAULT_RSA_ALGORITHM, "rsa-pss-sha512")
    if isinstance(key, Ed25519PublicKey):
        return ("ed25519",)
    return ()


def verify_bytes(alg: str, key: PublicKeyTypes, data: bytes, signature: bytes) -> bool:
    """Check ``signature`` over ``data``; False on a bad signature or a key/alg mismatch."""
    try:
        if alg == "rsa-v1_5-sha256" and isinstance(key, RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "rsa-pss-sha512" and isinstance(key, RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)
            key.verify(signature, data, pss, hashes.SHA512())
        elif alg == "ed25519" and isinstance(key, Ed25519PublicKey):
            key.verify(signature, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True
