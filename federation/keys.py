"""RSA key helpers: generate actor keys and move them to and from PEM text."""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm as CryptoUnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from federation.errors import KeyFormatError

RSA_KEY_SIZE = 2048
RSA_PUBLIC_EXPONENT = 65537

# What cryptography raises for text that is not a key it can read (UnicodeEncodeError
# from non-ASCII input is a ValueError too).
_PARSE_ERRORS = (ValueError, TypeError, CryptoUnsupportedAlgorithm)


def generate_private_key() -> rsa.RSAPrivateKey:
    """Generate a fresh RSA-2048 private key with public exponent 65537."""
    return rsa.generate_private_key(public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_KEY_SIZE)


def private_key_to_pem(key: rsa.RSAPrivateKey) -> str:
    """Serialise a private key as unencrypted PKCS#8 PEM text."""
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def public_key_to_pem(key: rsa.RSAPrivateKey | PublicKeyTypes) -> str:
    """Serialise the public half of a key (private or public) as SubjectPublicKeyInfo PEM."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode("ascii")


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    """Parse an unencrypted PEM RSA private key; raise KeyFormatError otherwise.

    Loading costs roughly 40-60 ms because OpenSSL checks the RSA key's
    consistency, so callers should load a key once and cache the object.
    """
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except _PARSE_ERRORS as exc:
        raise KeyFormatError(f"not a readable PEM private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFormatError(f"expected an RSA private key, got {type(key).__name__}")
    return key


def load_public_key(pem: str) -> PublicKeyTypes:
    """Parse a PEM public key (SPKI or PKCS#1 RSA); raise KeyFormatError on garbage.

    Parsing is cheap next to a private key, but callers that verify many
    requests should still cache the loaded object alongside the PEM.
    """
    try:
        return serialization.load_pem_public_key(pem.strip().encode("ascii"))
    except _PARSE_ERRORS as exc:
        raise KeyFormatError(f"not a readable PEM public key: {exc}") from exc
