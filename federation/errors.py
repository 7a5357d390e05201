"""Typed errors raised by the federation protocol library.

Every error carries a human-readable ``reason`` and an HTTP ``status`` that a
web layer can answer with directly. Keep the hierarchy flat: one base, one
family per concern.
"""

from __future__ import annotations

from typing import ClassVar


class FederationError(Exception):
    """Base class for every error the federation library raises on purpose."""

    status: ClassVar[int] = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeyFormatError(FederationError):
    """A PEM key could not be parsed, or is not of the expected type."""

    status = 400


class SignatureError(FederationError):
    """An HTTP signature was absent, unusable or wrong."""

    status = 401


class MissingSignature(SignatureError):
    """The request carries no HTTP signature at all."""

    status = 401


class MalformedSignature(SignatureError):
    """The signature headers cannot be parsed."""

    status = 400


class UnsupportedAlgorithm(SignatureError):
    """The signature (or its key) uses an algorithm we do not accept."""

    status = 401


class MissingSignedHeader(SignatureError):
    """A header the policy requires is not signed, or a signed header is absent."""

    status = 401

    def __init__(self, header: str, reason: str | None = None) -> None:
        super().__init__(reason or f"{header} must be covered by the signature")
        self.header = header


class DateOutOfWindow(SignatureError):
    """The signature is too old, expired, or dated too far in the future."""

    status = 401


class DigestMismatch(SignatureError):
    """The body digest header is absent, unusable or does not match the body."""

    status = 401


class UnknownKey(SignatureError):
    """The key named by the signature cannot be found or used."""

    status = 401


class BadSignature(SignatureError):
    """The signature does not verify against the signer's key."""

    status = 401


class FetchError(FederationError):
    """An outgoing server-to-server request failed or its answer is unusable."""

    status = 502


class ForbiddenAddress(FetchError):
    """The URL's host is, or resolves only to, an address we must not connect to."""

    status = 400


class BadScheme(FetchError):
    """The URL (or a redirect target) is not an absolute http(s) URL."""

    status = 400


class TooManyRedirects(FetchError):
    """The remote server redirected more often than the client allows."""


class ResponseTooLarge(FetchError):
    """The response body exceeds the client's size limit."""


class BadContentType(FetchError):
    """The response has a content type the caller did not ask for."""


class BadStatus(FetchError):
    """The remote server answered with an unexpected HTTP status."""

    def __init__(self, remote_status: int, reason: str | None = None) -> None:
        super().__init__(reason or f"remote server answered HTTP {remote_status}")
        # Not `status`: that ClassVar is what our own web layer answers with.
        self.remote_status = remote_status


class InvalidJSON(FetchError):
    """The response body is not acceptable JSON (or not the expected shape)."""


class IdMismatch(FetchError):
    """The fetched object's `id` is not the URL it was fetched from (anti-spoofing)."""


class NetworkError(FetchError):
    """The connection failed: refused, reset, DNS failure, protocol error."""


class FetchTimeout(FetchError):
    """The remote server did not answer within the client's timeout."""

    status = 504
