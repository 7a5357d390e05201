"""HTTP signatures: signing, verification, refusals, and published test vectors.

Requests "from other servers" are signed here by hand (an independent
signing-string / signature-base builder), so verification is not only checked
against our own signer.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from multidict import CIMultiDict

from federation import rfc9421
from federation.errors import (
    BadSignature,
    DateOutOfWindow,
    DigestMismatch,
    MalformedSignature,
    MissingSignature,
    MissingSignedHeader,
    SignatureError,
    UnknownKey,
    UnsupportedAlgorithm,
)
from federation.keys import generate_private_key, load_public_key, public_key_to_pem
from federation.signatures import (
    ResolvedKey,
    SigningKey,
    VerifiedSignature,
    body_digest,
    parse_digest_header,
    verify_request,
)
from federation.signing import sign_request, sign_request_rfc9421

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
KEY_ID = "https://remote.example/users/alice#main-key"
OWNER = "https://remote.example/users/alice"
INBOX = "https://townhall.example/inbox"
BODY = b'{"type": "Follow", "actor": "https://remote.example/users/alice"}'
MASTODON_HEADERS = "(request-target) host date digest content-type"


# --- keys and a fake resolver ---------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return generate_private_key()


@pytest.fixture(scope="module")
def other_rsa_key() -> rsa.RSAPrivateKey:
    return generate_private_key()


@pytest.fixture(scope="module")
def ed_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


class FakeResolver:
    """Knows one key id; answers ``rotated_to`` instead when asked to refresh."""

    def __init__(
        self,
        public_key: PublicKeyTypes | str,
        *,
        rotated_to: PublicKeyTypes | None = None,
        key_id: str = KEY_ID,
    ) -> None:
        self.pem = public_key if isinstance(public_key, str) else public_key_to_pem(public_key)
        self.fresh_pem = public_key_to_pem(rotated_to) if rotated_to else self.pem
        self.key_id = key_id
        self.calls: list[tuple[str, bool]] = []

    async def __call__(self, key_id: str, *, refresh: bool) -> ResolvedKey:
        self.calls.append((key_id, refresh))
        if key_id != self.key_id:
            raise UnknownKey(f"no key {key_id}")
        return ResolvedKey(key_id, OWNER, self.fresh_pem if refresh else self.pem)


# --- independent signers for "remote" requests --------------------------------------------


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def raw_sign(private_key: rsa.RSAPrivateKey | Ed25519PrivateKey, data: bytes) -> str:
    if isinstance(private_key, Ed25519PrivateKey):
        return base64.b64encode(private_key.sign(data)).decode()
    return base64.b64encode(private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()


def post_headers(body: bytes = BODY, when: datetime = NOW) -> dict[str, str]:
    return {
        "Host": "townhall.example",
        "Date": http_date(when),
        "Digest": f"SHA-256={sha256_b64(body)}",
        "Content-Type": "application/activity+json",
    }


def cavage_sign(
    private_key: rsa.RSAPrivateKey | Ed25519PrivateKey,
    headers: dict[str, str],
    names: str,
    *,
    method: str = "POST",
    url: str = INBOX,
    algorithm: str | None = "rsa-sha256",
    params: dict[str, int] | None = None,
    target: str | None = None,
) -> dict[str, str]:
    """Sign like a remote draft-cavage implementation; return headers plus Signature."""
    lower = {k.lower(): v for k, v in headers.items()}
    parts = urlsplit(url)
    default_target = parts.path + (f"?{parts.query}" if parts.query else "")
    extra = params or {}
    lines = []
    for name in names.split():
        if name == "(request-target)":
            value = f"{method.lower()} {target or default_target}"
        elif name in ("(created)", "(expires)"):
            value = str(extra[name[1:-1]])
        else:
            value = lower[name]
        lines.append(f"{name}: {value}")
    fields = [f'keyId="{KEY_ID}"']
    fields += [f'algorithm="{algorithm}"'] if algorithm else []
    fields += [f'headers="{names}"'] + [f"{k}={v}" for k, v in extra.items()]
    signature = raw_sign(private_key, "\n".join(lines).encode())
    fields.append(f'signature="{signature}"')
    return {**headers, "Signature": ",".join(fields)}


def rfc9421_sign(
    private_key: rsa.RSAPrivateKey | Ed25519PrivateKey,
    headers: dict[str, str],
    components: list[str],
    params: str,
    *,
    method: str = "POST",
    url: str = INBOX,
) -> dict[str, str]:
    """Sign like a remote RFC 9421 implementation; ``params`` is e.g. ``;created=…;keyid="…"``."""
    lower = {k.lower(): v for k, v in headers.items()}
    parts = urlsplit(url)
    derived = {
        "@method": method,
        "@target-uri": url,
        "@authority": parts.netloc,
        "@path": parts.path,
        "@query": f"?{parts.query}",
    }
    inner = "(" + " ".join(f'"{c}"' for c in components) + ")" + params
    lines = [f'"{c}": {derived[c] if c.startswith("@") else lower[c]}' for c in components]
    lines.append(f'"@signature-params": {inner}')
    signature = raw_sign(private_key, "\n".join(lines).encode())
    return {**headers, "Signature-Input": f"sig1={inner}", "Signature": f"sig1=:{signature}:"}


def fedify_params(created: datetime = NOW, alg: str = "rsa-v1_5-sha256") -> str:
    return f';alg="{alg}";keyid="{KEY_ID}";created={int(created.timestamp())}'


async def verify(
    headers: dict[str, str] | CIMultiDict[str],
    resolver: FakeResolver,
    *,
    method: str = "POST",
    url: str = INBOX,
    body: bytes | None = BODY,
    now: datetime = NOW,
) -> VerifiedSignature:
    return await verify_request(method, url, headers, body, resolver, now=now)


# --- our signer ------------------------------------------------------------------


async def test_cavage_post_round_trip(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = sign_request(
        "POST",
        INBOX,
        {"Content-Type": "application/activity+json"},
        BODY,
        SigningKey(KEY_ID, rsa_key),
        now=NOW,
    )
    resolver = FakeResolver(rsa_key.public_key())
    result = await verify(headers, resolver)
    assert result == VerifiedSignature(
        KEY_ID,
        OWNER,
        "draft-cavage",
        ("(request-target)", "host", "date", "digest", "content-type"),
    )
    assert resolver.calls == [(KEY_ID, False)]


async def test_cavage_get_round_trip_signs_accept(rsa_key: rsa.RSAPrivateKey) -> None:
    accept = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    url = "https://remote.example/users/bob?page=2"
    headers = sign_request(
        "GET", url, {"Accept": accept}, None, SigningKey(KEY_ID, rsa_key), now=NOW
    )
    assert "Digest" not in headers
    result = await verify(
        headers, FakeResolver(rsa_key.public_key()), method="GET", url=url, body=None
    )
    assert result.signed_components == ("(request-target)", "host", "date", "accept")


def test_sign_request_wire_format(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = sign_request(
        "POST",
        "https://townhall.example:8443/users/a/inbox?x=1",
        {"content-type": "application/activity+json", "User-Agent": "Townhall"},
        BODY,
        SigningKey(KEY_ID, rsa_key),
        now=NOW,
    )
    assert headers["Host"] == "townhall.example:8443"
    assert headers["Date"] == "Wed, 01 May 2024 12:00:00 GMT"
    assert headers["Digest"] == f"SHA-256={sha256_b64(BODY)}"
    assert headers["User-Agent"] == "Townhall"
    params = dict(p.split("=", 1) for p in headers["Signature"].split(","))
    assert params["keyId"] == f'"{KEY_ID}"'
    assert params["algorithm"] == '"rsa-sha256"'
    assert params["headers"] == f'"{MASTODON_HEADERS}"'
    signing_string = (
        "(request-target): post /users/a/inbox?x=1\n"
        "host: townhall.example:8443\n"
        "date: Wed, 01 May 2024 12:00:00 GMT\n"
        f"digest: SHA-256={sha256_b64(BODY)}\n"
        "content-type: application/activity+json"
    )
    signature = base64.b64decode(params["signature"].strip('"'))
    rsa_key.public_key().verify(
        signature, signing_string.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


def test_sign_request_omits_default_port_and_replaces_stale_signature(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    stale = {"signature": "old", "Signature-Input": "old", "DATE": "yesterday"}
    headers = sign_request(
        "GET", "https://Townhall.example:443/x", stale, None, SigningKey(KEY_ID, rsa_key), now=NOW
    )
    assert headers["Host"] == "townhall.example"
    assert {k.lower() for k in headers} == {"host", "date", "signature"}
    assert headers["Signature"] != "old"


def test_sign_request_rfc9421_wire_format(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = sign_request_rfc9421(
        "POST",
        INBOX,
        {"Content-Type": "application/activity+json"},
        BODY,
        SigningKey(KEY_ID, rsa_key),
        now=NOW,
    )
    created = int(NOW.timestamp())
    inner = (
        '("@method" "@target-uri" "@authority" "content-digest" "date")'
        f';alg="rsa-v1_5-sha256";keyid="{KEY_ID}";created={created}'
    )
    assert headers["Signature-Input"] == f"sig1={inner}"
    assert headers["Content-Digest"] == f"sha-256=:{sha256_b64(BODY)}:"
    base = (
        '"@method": POST\n'
        f'"@target-uri": {INBOX}\n'
        '"@authority": townhall.example\n'
        f'"content-digest": sha-256=:{sha256_b64(BODY)}:\n'
        '"date": Wed, 01 May 2024 12:00:00 GMT\n'
        f'"@signature-params": {inner}'
    )
    assert headers["Signature"].startswith("sig1=:") and headers["Signature"].endswith(":")
    signature = base64.b64decode(headers["Signature"][len("sig1=:") : -1])
    rsa_key.public_key().verify(signature, base.encode(), padding.PKCS1v15(), hashes.SHA256())


async def test_rfc9421_post_round_trip(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = sign_request_rfc9421("POST", INBOX, {}, BODY, SigningKey(KEY_ID, rsa_key), now=NOW)
    result = await verify(headers, FakeResolver(rsa_key.public_key()))
    assert result == VerifiedSignature(
        KEY_ID,
        OWNER,
        "rfc9421",
        ("@method", "@target-uri", "@authority", "content-digest", "date"),
    )


async def test_rfc9421_get_round_trip(rsa_key: rsa.RSAPrivateKey) -> None:
    url = "https://remote.example/users/bob?page=2"
    headers = sign_request_rfc9421("GET", url, {}, None, SigningKey(KEY_ID, rsa_key), now=NOW)
    assert "Content-Digest" not in headers
    result = await verify(
        headers, FakeResolver(rsa_key.public_key()), method="GET", url=url, body=None
    )
    assert result.scheme == "rfc9421"
    assert result.signed_components == ("@method", "@target-uri", "@authority", "date")


async def test_headers_are_looked_up_case_insensitively_in_a_multidict(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    signed = sign_request("POST", INBOX, {}, BODY, SigningKey(KEY_ID, rsa_key), now=NOW)
    headers = CIMultiDict((name.upper(), value) for name, value in signed.items())
    result = await verify(headers, FakeResolver(rsa_key.public_key()))
    assert result.scheme == "draft-cavage"


# --- draft-cavage as other servers send it ----------------------------------------------


async def test_mastodon_style_hs2019_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS, algorithm="hs2019")
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).owner == OWNER


async def test_missing_algorithm_parameter_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    # Takahe sends no algorithm= at all.
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS, algorithm=None)
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).key_id == KEY_ID


async def test_user_agent_among_signed_headers_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    # microblog.pub signs the User-Agent too.
    names = "(request-target) user-agent host date digest content-type"
    headers = cavage_sign(rsa_key, {**post_headers(), "User-Agent": "microblogpub/2.0"}, names)
    result = await verify(headers, FakeResolver(rsa_key.public_key()))
    assert result.signed_components == tuple(names.split())


async def test_lower_case_digest_algorithm_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    base = {**post_headers(), "Digest": f"sha-256={sha256_b64(BODY)}"}
    headers = cavage_sign(rsa_key, base, MASTODON_HEADERS)
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).key_id == KEY_ID


async def test_sha512_digest_is_checked(rsa_key: rsa.RSAPrivateKey) -> None:
    good = base64.b64encode(hashlib.sha512(BODY).digest()).decode()
    headers = cavage_sign(
        rsa_key, {**post_headers(), "Digest": f"SHA-512={good}"}, MASTODON_HEADERS
    )
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).key_id == KEY_ID
    bad = base64.b64encode(hashlib.sha512(b"other").digest()).decode()
    headers = cavage_sign(rsa_key, {**post_headers(), "Digest": f"SHA-512={bad}"}, MASTODON_HEADERS)
    with pytest.raises(DigestMismatch):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_ed25519_key_with_hs2019_is_accepted(ed_key: Ed25519PrivateKey) -> None:
    headers = cavage_sign(ed_key, post_headers(), MASTODON_HEADERS, algorithm="hs2019")
    assert (await verify(headers, FakeResolver(ed_key.public_key()))).key_id == KEY_ID


async def test_ed25519_key_cannot_claim_rsa_sha256(ed_key: Ed25519PrivateKey) -> None:
    headers = cavage_sign(ed_key, post_headers(), MASTODON_HEADERS, algorithm="rsa-sha256")
    with pytest.raises(BadSignature):
        await verify(headers, FakeResolver(ed_key.public_key()))


async def test_created_pseudo_header_can_replace_date(rsa_key: rsa.RSAPrivateKey) -> None:
    base = post_headers()
    del base["Date"]
    names = "(request-target) (created) host digest content-type"
    created = int((NOW - timedelta(minutes=3)).timestamp())
    headers = cavage_sign(rsa_key, base, names, algorithm="hs2019", params={"created": created})
    result = await verify(headers, FakeResolver(rsa_key.public_key()))
    assert result.signed_components == tuple(names.split())


async def test_query_string_signed_with_query(rsa_key: rsa.RSAPrivateKey) -> None:
    url = "https://townhall.example/users/a/outbox?page=true"
    headers = cavage_sign(
        rsa_key,
        {"Host": "townhall.example", "Date": http_date(NOW)},
        "(request-target) host date",
        method="GET",
        url=url,
    )
    resolver = FakeResolver(rsa_key.public_key())
    assert (await verify(headers, resolver, method="GET", url=url, body=None)).key_id == KEY_ID


async def test_query_string_signed_without_query(rsa_key: rsa.RSAPrivateKey) -> None:
    url = "https://townhall.example/users/a/outbox?page=true"
    headers = cavage_sign(
        rsa_key,
        {"Host": "townhall.example", "Date": http_date(NOW)},
        "(request-target) host date",
        method="GET",
        url=url,
        target="/users/a/outbox",
    )
    resolver = FakeResolver(rsa_key.public_key())
    assert (await verify(headers, resolver, method="GET", url=url, body=None)).key_id == KEY_ID


async def test_query_string_signed_with_another_query_is_refused(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    url = "https://townhall.example/users/a/outbox?page=true"
    headers = cavage_sign(
        rsa_key,
        {"Host": "townhall.example", "Date": http_date(NOW)},
        "(request-target) host date",
        method="GET",
        url=url,
        target="/users/a/outbox?page=false",
    )
    with pytest.raises(BadSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()), method="GET", url=url, body=None)


# --- refusals ----------------------------------------------------------------------


async def test_unsigned_request_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(MissingSignature) as caught:
        await verify(post_headers(), FakeResolver(rsa_key.public_key()))
    assert caught.value.status == 401


@pytest.mark.parametrize(
    "signature",
    [
        "nonsense",
        'headers="(request-target) host date",signature="AAAA"',
        f'keyId="{KEY_ID}",headers="(request-target) host date"',
        f'keyId="{KEY_ID}",headers="(request-target) host date",signature="not base64!"',
    ],
)
async def test_malformed_signature_header_is_refused(
    rsa_key: rsa.RSAPrivateKey, signature: str
) -> None:
    resolver = FakeResolver(rsa_key.public_key())
    with pytest.raises(MalformedSignature) as caught:
        await verify({**post_headers(), "Signature": signature}, resolver)
    assert caught.value.status == 400
    assert resolver.calls == []


@pytest.mark.parametrize("algorithm", ["rsa-sha1", "hmac-sha256", "ecdsa-sha256"])
async def test_unknown_algorithm_is_refused(rsa_key: rsa.RSAPrivateKey, algorithm: str) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS, algorithm=algorithm)
    with pytest.raises(UnsupportedAlgorithm):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_signed_header_absent_from_request_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS)
    del headers["Content-Type"]
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == "content-type"


@pytest.mark.parametrize(
    ("names", "missing"),
    [
        ("(request-target) host date content-type", "digest"),
        ("host date digest content-type", "(request-target)"),
        ("(request-target) date digest content-type", "host"),
        ("(request-target) host digest content-type", "date"),
        ("date", "(request-target)"),
    ],
)
async def test_post_must_sign_target_host_date_and_digest(
    rsa_key: rsa.RSAPrivateKey, names: str, missing: str
) -> None:
    headers = cavage_sign(rsa_key, post_headers(), names)
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == missing


async def test_default_headers_param_means_date_only(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), "date")
    headers["Signature"] = headers["Signature"].replace('headers="date",', "")
    assert "headers=" not in headers["Signature"]
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == "(request-target)"


async def test_post_without_digest_header_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    base = post_headers()
    del base["Digest"]
    headers = cavage_sign(rsa_key, base, "(request-target) host date content-type")
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == "digest"


async def test_body_changed_after_signing_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = sign_request("POST", INBOX, {}, BODY, SigningKey(KEY_ID, rsa_key), now=NOW)
    resolver = FakeResolver(rsa_key.public_key())
    with pytest.raises(DigestMismatch):
        await verify(headers, resolver, body=BODY.replace(b"Follow", b"Delete"))
    assert resolver.calls == []


async def test_digest_without_a_supported_algorithm_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    md5 = base64.b64encode(hashlib.md5(BODY).digest()).decode()
    headers = cavage_sign(rsa_key, {**post_headers(), "Digest": f"MD5={md5}"}, MASTODON_HEADERS)
    with pytest.raises(DigestMismatch):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_signature_by_another_key_is_refused(
    rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey
) -> None:
    headers = cavage_sign(other_rsa_key, post_headers(), MASTODON_HEADERS)
    with pytest.raises(BadSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_tampered_signed_header_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS)
    headers["Content-Type"] = "text/plain"
    with pytest.raises(BadSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_unknown_key_is_reported(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS)
    with pytest.raises(UnknownKey):
        await verify(headers, FakeResolver(rsa_key.public_key(), key_id="https://elsewhere#k"))


async def test_unusable_resolved_key_is_reported_as_unknown(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, post_headers(), MASTODON_HEADERS)
    with pytest.raises(UnknownKey):
        await verify(headers, FakeResolver("-----BEGIN PUBLIC KEY-----\ngarbage\n"))


def test_every_signature_error_has_a_reason_and_status() -> None:
    assert MalformedSignature("x").status == 400
    for cls in (
        MissingSignature,
        UnsupportedAlgorithm,
        DateOutOfWindow,
        DigestMismatch,
        UnknownKey,
        BadSignature,
    ):
        error = cls("because")
        assert isinstance(error, SignatureError)
        assert (error.reason, error.status) == ("because", 401)
    missing = MissingSignedHeader("digest")
    assert (missing.header, missing.status) == ("digest", 401)
    assert "digest" in missing.reason


# --- key rotation ---------------------------------------------------------------------


async def test_rotated_key_is_refetched_once(
    rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey
) -> None:
    headers = cavage_sign(other_rsa_key, post_headers(), MASTODON_HEADERS)
    resolver = FakeResolver(rsa_key.public_key(), rotated_to=other_rsa_key.public_key())
    assert (await verify(headers, resolver)).key_id == KEY_ID
    assert resolver.calls == [(KEY_ID, False), (KEY_ID, True)]


async def test_rotation_that_does_not_help_is_a_bad_signature(
    rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey, ed_key: Ed25519PrivateKey
) -> None:
    headers = cavage_sign(ed_key, post_headers(), MASTODON_HEADERS, algorithm="hs2019")
    resolver = FakeResolver(rsa_key.public_key(), rotated_to=other_rsa_key.public_key())
    with pytest.raises(BadSignature):
        await verify(headers, resolver)
    assert resolver.calls == [(KEY_ID, False), (KEY_ID, True)]


async def test_rfc9421_rotated_key_is_refetched_once(
    rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey
) -> None:
    headers = sign_request_rfc9421(
        "POST", INBOX, {}, BODY, SigningKey(KEY_ID, other_rsa_key), now=NOW
    )
    resolver = FakeResolver(rsa_key.public_key(), rotated_to=other_rsa_key.public_key())
    assert (await verify(headers, resolver)).scheme == "rfc9421"
    assert resolver.calls == [(KEY_ID, False), (KEY_ID, True)]


# --- the time window -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "accepted"),
    [
        (timedelta(minutes=10), True),
        (timedelta(hours=1, minutes=4), True),
        (timedelta(hours=1, minutes=6), False),
        (timedelta(hours=2), False),
        (-timedelta(minutes=50), True),
        (-timedelta(hours=1, minutes=10), False),
    ],
)
async def test_date_window(rsa_key: rsa.RSAPrivateKey, age: timedelta, accepted: bool) -> None:
    headers = cavage_sign(rsa_key, post_headers(when=NOW - age), MASTODON_HEADERS)
    resolver = FakeResolver(rsa_key.public_key())
    if accepted:
        assert (await verify(headers, resolver)).key_id == KEY_ID
    else:
        with pytest.raises(DateOutOfWindow):
            await verify(headers, resolver)
        assert resolver.calls == []


@pytest.mark.parametrize(
    ("age", "expires_in", "accepted"),
    [
        (timedelta(hours=2), timedelta(hours=1), True),
        (timedelta(hours=11), timedelta(minutes=5), True),
        (timedelta(hours=13), timedelta(hours=1), False),
        (timedelta(hours=2), -timedelta(minutes=1), False),
    ],
)
async def test_signed_future_expires_extends_the_window_to_12_hours(
    rsa_key: rsa.RSAPrivateKey, age: timedelta, expires_in: timedelta, accepted: bool
) -> None:
    params = {"expires": int((NOW + expires_in).timestamp())}
    names = MASTODON_HEADERS + " (expires)"
    headers = cavage_sign(rsa_key, post_headers(when=NOW - age), names, params=params)
    resolver = FakeResolver(rsa_key.public_key())
    if accepted:
        assert (await verify(headers, resolver)).key_id == KEY_ID
    else:
        with pytest.raises(DateOutOfWindow):
            await verify(headers, resolver)


async def test_unsigned_expires_does_not_extend_the_window(rsa_key: rsa.RSAPrivateKey) -> None:
    params = {"expires": int((NOW + timedelta(hours=1)).timestamp())}
    headers = cavage_sign(
        rsa_key, post_headers(when=NOW - timedelta(hours=2)), MASTODON_HEADERS, params=params
    )
    with pytest.raises(DateOutOfWindow):
        await verify(headers, FakeResolver(rsa_key.public_key()))


async def test_unparseable_date_is_malformed(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = cavage_sign(rsa_key, {**post_headers(), "Date": "yesterday"}, MASTODON_HEADERS)
    with pytest.raises(MalformedSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()))


# --- RFC 9421 as other servers send it ---------------------------------------------------


def fedify_headers(body: bytes = BODY, when: datetime = NOW) -> dict[str, str]:
    return {
        "Host": "townhall.example",
        "Date": http_date(when),
        "Content-Type": "application/activity+json",
        "Content-Digest": f"sha-256=:{sha256_b64(body)}:",
    }


FEDIFY_COMPONENTS = ["@method", "@target-uri", "@authority", "host", "date", "content-digest"]


async def test_fedify_style_request_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, fedify_params())
    result = await verify(headers, FakeResolver(rsa_key.public_key()))
    assert result == VerifiedSignature(KEY_ID, OWNER, "rfc9421", tuple(FEDIFY_COMPONENTS))


async def test_rfc9421_ed25519_without_alg_is_accepted(ed_key: Ed25519PrivateKey) -> None:
    params = f';created={int(NOW.timestamp())};keyid="{KEY_ID}"'
    headers = rfc9421_sign(ed_key, fedify_headers(), FEDIFY_COMPONENTS, params)
    assert (await verify(headers, FakeResolver(ed_key.public_key()))).scheme == "rfc9421"


async def test_rfc9421_rsa_pss_sha512_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    # Sign by hand with PSS: rfc9421_sign only does PKCS#1 v1.5, so build the base here.
    params = fedify_params(alg="rsa-pss-sha512")
    unsigned = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, params)
    lower = {k.lower(): v for k, v in unsigned.items()}
    base = rfc9421.signature_base(
        FEDIFY_COMPONENTS, unsigned["Signature-Input"][5:], "POST", INBOX, lower
    )
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)
    signature = base64.b64encode(rsa_key.sign(base.encode(), pss, hashes.SHA512())).decode()
    headers = {**unsigned, "Signature": f"sig1=:{signature}:"}
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).scheme == "rfc9421"


async def test_rfc9421_sha512_content_digest_is_accepted(rsa_key: rsa.RSAPrivateKey) -> None:
    digest = base64.b64encode(hashlib.sha512(BODY).digest()).decode()
    base = {**fedify_headers(), "Content-Digest": f"sha-512=:{digest}:"}
    headers = rfc9421_sign(rsa_key, base, FEDIFY_COMPONENTS, fedify_params())
    assert (await verify(headers, FakeResolver(rsa_key.public_key()))).scheme == "rfc9421"


async def test_rfc9421_post_must_cover_content_digest(rsa_key: rsa.RSAPrivateKey) -> None:
    components = ["@method", "@target-uri", "@authority", "date"]
    headers = rfc9421_sign(rsa_key, fedify_headers(), components, fedify_params())
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == "content-digest"


@pytest.mark.parametrize(
    ("components", "missing"),
    [
        (["@target-uri", "content-digest"], "@method"),
        (["@method", "@authority", "content-digest"], "@target-uri"),
        (["@method", "@path", "content-digest"], "@authority"),
    ],
)
async def test_rfc9421_must_cover_method_and_target(
    rsa_key: rsa.RSAPrivateKey, components: list[str], missing: str
) -> None:
    headers = rfc9421_sign(rsa_key, fedify_headers(), components, fedify_params())
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, FakeResolver(rsa_key.public_key()))
    assert caught.value.header == missing


async def test_rfc9421_body_changed_after_signing_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, fedify_params())
    with pytest.raises(DigestMismatch):
        await verify(headers, FakeResolver(rsa_key.public_key()), body=BODY + b" ")


async def test_rfc9421_tampered_component_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    headers = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, fedify_params())
    with pytest.raises(BadSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()), url=INBOX + "2")


@pytest.mark.parametrize(
    ("created_age", "expires_in", "accepted"),
    [
        (timedelta(minutes=10), None, True),
        (timedelta(hours=2), None, False),
        (-timedelta(hours=1, minutes=10), None, False),
        (timedelta(hours=2), timedelta(hours=1), True),
        (timedelta(minutes=1), -timedelta(seconds=1), False),
    ],
)
async def test_rfc9421_created_window(
    rsa_key: rsa.RSAPrivateKey,
    created_age: timedelta,
    expires_in: timedelta | None,
    accepted: bool,
) -> None:
    params = fedify_params(created=NOW - created_age)
    if expires_in is not None:
        params += f";expires={int((NOW + expires_in).timestamp())}"
    headers = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, params)
    resolver = FakeResolver(rsa_key.public_key())
    if accepted:
        assert (await verify(headers, resolver)).scheme == "rfc9421"
    else:
        with pytest.raises(DateOutOfWindow):
            await verify(headers, resolver)


async def test_rfc9421_unknown_alg_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    params = fedify_params(alg="hmac-sha256")
    headers = rfc9421_sign(rsa_key, fedify_headers(), FEDIFY_COMPONENTS, params)
    with pytest.raises(UnsupportedAlgorithm):
        await verify(headers, FakeResolver(rsa_key.public_key()))


@pytest.mark.parametrize(
    ("signature_input", "signature"),
    [
        ('sig1=("@method" "@target-uri"', "sig1=:AAAA:"),
        ('sig1=("@method" "@target-uri");created=1', None),
        ('sig1=("@method" "@target-uri");created=1', "other=:AAAA:"),
        (f'sig1=("@method" "@target-uri");keyid="{KEY_ID}"', 'sig1="not bytes"'),
        ('sig1=("@method" "@target-uri");created=1714564800', "sig1=:AAAA:"),
        (f'sig1=("@method" "@method");keyid="{KEY_ID}"', "sig1=:AAAA:"),
        (f'sig1=("@method" "@target-uri");created="x";keyid="{KEY_ID}"', "sig1=:AAAA:"),
    ],
)
async def test_rfc9421_malformed_fields_are_refused(
    rsa_key: rsa.RSAPrivateKey, signature_input: str, signature: str | None
) -> None:
    headers = {"Host": "townhall.example", "Signature-Input": signature_input}
    if signature is not None:
        headers["Signature"] = signature
    with pytest.raises(MalformedSignature):
        await verify(headers, FakeResolver(rsa_key.public_key()), method="GET", body=None)


# --- published test vectors ----------------------------------------------------------

RFC_BODY = b'{"hello": "world"}'
RFC_URL = "https://example.com/foo?param=Value&Pet=dog"
RFC_HEADERS = {
    "Host": "example.com",
    "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Digest": (
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEm"
        "THWXvJwew==:"
    ),
    "Content-Length": "18",
}
RFC_NOW = datetime.fromtimestamp(1618884473, UTC)
# RFC 9421 B.1.2 test-key-rsa-pss and B.1.4 test-key-ed25519 (public halves).
RFC_RSA_PSS_PUBLIC = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----
"""
RFC_ED25519_PUBLIC = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
B23_INPUT = (
    'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" '
    '"content-length");created=1618884473;keyid="test-key-rsa-pss"'
)
B23_SIGNATURE = (
    "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxF"
    "keGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPVi"
    "V7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9B"
    "mzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZK"
    "EgM4cUA==:"
)
B26_INPUT = (
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"'
)
B26_SIGNATURE = (
    "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpB"
    "KRCw==:"
)


async def test_rfc9421_b23_full_coverage_rsa_pss_vector() -> None:
    headers = {**RFC_HEADERS, "Signature-Input": B23_INPUT, "Signature": B23_SIGNATURE}
    resolver = FakeResolver(RFC_RSA_PSS_PUBLIC, key_id="test-key-rsa-pss")
    result = await verify(headers, resolver, url=RFC_URL, body=RFC_BODY, now=RFC_NOW)
    assert result.key_id == "test-key-rsa-pss"
    assert result.signed_components[:4] == ("date", "@method", "@path", "@query")
    with pytest.raises(DigestMismatch):
        await verify(headers, resolver, url=RFC_URL, body=RFC_BODY + b"\n", now=RFC_NOW)


def test_rfc9421_b26_ed25519_vector_signature_base() -> None:
    signature = rfc9421.parse_signature(B26_INPUT, B26_SIGNATURE)
    lower = {k.lower(): v for k, v in RFC_HEADERS.items()}
    base = rfc9421.signature_base(
        signature.components, signature.serialized_params(), "POST", RFC_URL, lower
    )
    assert base == (
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
        '"@method": POST\n'
        '"@path": /foo\n'
        '"@authority": example.com\n'
        '"content-type": application/json\n'
        '"content-length": 18\n'
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" '
        '"content-length");created=1618884473;keyid="test-key-ed25519"'
    )
    key = load_public_key(RFC_ED25519_PUBLIC)
    assert rfc9421.verify_bytes("ed25519", key, base.encode(), signature.signature)
    assert not rfc9421.verify_bytes("ed25519", key, base.encode() + b" ", signature.signature)


async def test_rfc9421_b26_is_refused_for_not_binding_the_body() -> None:
    headers = {**RFC_HEADERS, "Signature-Input": B26_INPUT, "Signature": B26_SIGNATURE}
    resolver = FakeResolver(RFC_ED25519_PUBLIC, key_id="test-key-ed25519")
    with pytest.raises(MissingSignedHeader) as caught:
        await verify(headers, resolver, url=RFC_URL, body=RFC_BODY, now=RFC_NOW)
    assert caught.value.header == "content-digest"


# draft-cavage-http-signatures-12 Appendix C: the "Test" key and request.
CAVAGE_PUBLIC = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
"""
CAVAGE_HEADERS = {
    "Host": "example.com",
    "Date": "Sun, 05 Jan 2014 21:31:40 GMT",
    "Content-Type": "application/json",
    "Digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "Content-Length": "18",
}
CAVAGE_URL = "https://example.com/foo?param=value&pet=dog"
CAVAGE_NOW = datetime(2014, 1, 5, 21, 31, 40, tzinfo=UTC)
CAVAGE_C2 = (
    'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="'
    "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iic"
    'w3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0="'
)
CAVAGE_C3 = (
    'keyId="Test",algorithm="rsa-sha256",'
    'headers="(request-target) host date content-type digest content-length",signature="'
    "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q"
    '52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="'
)


async def test_cavage_c3_all_headers_vector() -> None:
    headers = {**CAVAGE_HEADERS, "Signature": CAVAGE_C3}
    resolver = FakeResolver(CAVAGE_PUBLIC, key_id="Test")
    result = await verify(headers, resolver, url=CAVAGE_URL, body=RFC_BODY, now=CAVAGE_NOW)
    assert result.signed_components == (
        "(request-target)",
        "host",
        "date",
        "content-type",
        "digest",
        "content-length",
    )
    with pytest.raises(BadSignature):
        other_url = CAVAGE_URL.replace("pet=dog", "pet=cat")
        await verify(headers, resolver, url=other_url, body=RFC_BODY, now=CAVAGE_NOW)


async def test_cavage_c2_vector_is_refused_for_not_signing_the_digest() -> None:
    headers = {**CAVAGE_HEADERS, "Signature": CAVAGE_C2}
    resolver = FakeResolver(CAVAGE_PUBLIC, key_id="Test")
    with pytest.raises(MissingSignedHeader):
        await verify(headers, resolver, url=CAVAGE_URL, body=RFC_BODY, now=CAVAGE_NOW)
    # The same signature over "post /foo?…" cannot pass as a GET: (request-target) differs.
    with pytest.raises(BadSignature):
        await verify(headers, resolver, method="GET", url=CAVAGE_URL, body=None, now=CAVAGE_NOW)


# --- digest helpers --------------------------------------------------------------------


def test_body_digest_of_empty_body() -> None:
    assert body_digest(b"") == "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def test_parse_digest_header() -> None:
    assert parse_digest_header("SHA-256=abc=, sha-512=de/f==,junk, =x") == {
        "sha-256": "abc=",
        "sha-512": "de/f==",
    }
