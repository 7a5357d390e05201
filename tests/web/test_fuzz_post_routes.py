"""Malformed bodies to every POST route and to the inboxes: a 4xx, never a 5xx, nothing written.

The routes come from the app's router, so a new POST route is fuzzed without being listed here.
Each body goes to each route as a visitor and as a signed-in admin with a valid CSRF token;
ActivityStreams bodies also go to the inboxes unsigned and signed with a remote actor's real key.
"""

from __future__ import annotations

import random
import re

from aiohttp.test_utils import TestClient
from tortoise import Tortoise

from federation.keys import generate_private_key, public_key_to_pem
from federation.signatures import SigningKey
from federation.signing import sign_request
from node.models import AccessRole
from node.services.remote_actors import save_actor
from tests.support.api import AS2, BASE, post, token_for
from tests.support.pages import csrf_in, member, page, sign_in_as

TOKEN = "@@CSRF@@"  # replaced by the session's real token when posting as a member
BOUNDARY = "fuzzBoundary7MA4YWxk"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM = "application/x-www-form-urlencoded"
HUGE_ID = "9" * 30
REMOTE = "https://fuzz.example/users/mallory"


def part(name: str, value: bytes) -> bytes:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
    return head.encode() + value + b"\r\n"


def as_create(content: str, name: str = "Hello") -> bytes:
    """A well-formed Create of a Note except for `content` and `name` (JSON escapes kept)."""
    note = (
        f'{{"id": "{REMOTE}/notes/1", "type": "Note", "attributedTo": "{REMOTE}", '
        f'"name": "{name}", "content": "{content}", '
        f'"to": ["https://www.w3.org/ns/activitystreams#Public"]}}'
    )
    return (
        f'{{"@context": "https://www.w3.org/ns/activitystreams", "id": "{REMOTE}/create/1", '
        f'"type": "Create", "actor": "{REMOTE}", "object": {note}, '
        f'"to": ["https://www.w3.org/ns/activitystreams#Public"]}}'
    ).encode()


def seeded_junk(seed: int) -> bytes:
    """Random bytes shaped like a form (fixed seed: the same bodies on every run)."""
    rng = random.Random(seed)
    fields = ["title", "content", "name", "handle", "reason", "id", "body", "summary"]
    return b"&".join(
        rng.choice(fields).encode() + b"=" + bytes(rng.randrange(256) for _ in range(12))
        for _ in range(6)
    )


FORM_BODIES: list[tuple[str, str, bytes]] = [
    ("invalid UTF-8, percent-encoded", FORM, b"csrf_token=@@CSRF@@&title=%FF%FE&name=%C0%AF"),
    ("invalid UTF-8, raw bytes", FORM, b"csrf_token=@@CSRF@@&title=\xff\xfe&\xfa=\xfb"),
    ("NUL characters", FORM, b"csrf_token=@@CSRF@@&title=a%00b&content=%00&handle=%00&id=%00"),
    ("NUL in a field name", FORM, b"csrf_token=@@CSRF@@&ti%00tle=x"),
    (
        "lone surrogate, UTF-8 encoded",
        FORM,
        b"csrf_token=@@CSRF@@&title=%ED%A0%80&content=%ED%B0%80",
    ),
    ("seeded junk 1", FORM, b"csrf_token=@@CSRF@@&" + seeded_junk(1)),
    ("seeded junk 2", FORM, b"csrf_token=@@CSRF@@&" + seeded_junk(2)),
    (
        "truncated multipart",
        MULTIPART,
        part("csrf_token", TOKEN.encode()) + f"--{BOUNDARY}\r\nContent-Disposition: form-".encode(),
    ),
    (
        "multipart cut inside a value",
        MULTIPART,
        part("csrf_token", TOKEN.encode()) + part("title", b"x")[:-2][:-10],
    ),
    ("multipart without a boundary", "multipart/form-data", part("csrf_token", TOKEN.encode())),
    (
        "multipart with invalid UTF-8",
        MULTIPART,
        part("csrf_token", TOKEN.encode())
        + part("title", b"\xff\xfe\xfd")
        + part("content", b"\xed\xa0\x80")
        + f"--{BOUNDARY}--\r\n".encode(),
    ),
    (
        "multipart with NUL",
        MULTIPART,
        part("csrf_token", TOKEN.encode())
        + part("title", b"a\x00b")
        + f"--{BOUNDARY}--\r\n".encode(),
    ),
    ("oversized body", FORM, b"csrf_token=@@CSRF@@&title=" + b"A" * 1_200_000),
    ("a JSON object to a form", "application/json", b'{"csrf_token": "@@CSRF@@", "title": "x"}'),
    ("XML", "text/xml", b"<csrf_token>@@CSRF@@</csrf_token>"),
    ("text/plain", "text/plain", b"csrf_token=@@CSRF@@&title=x"),
    ("an unknown charset", f"{FORM}; charset=x-no-such-charset", b"csrf_token=@@CSRF@@&title=x"),
]
JSON_BODIES: list[tuple[str, str, bytes]] = [
    ("JSON array", AS2, b'["Create", {"type": "Note"}]'),
    ("JSON string", AS2, b'"Create"'),
    ("JSON number", AS2, b"1e999999"),
    ("deep nesting", AS2, b"[" * 100_000 + b"]" * 100_000),
    ("deep objects", AS2, b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ("not JSON", AS2, b"{'type': 'Create'"),
    ("invalid UTF-8 in JSON", AS2, as_create("cafe").replace(b"cafe", b"caf\xe9")),
    ("raw invalid UTF-8 in JSON", AS2, as_create("x")[:-2] + b', "x": "\xff\xfe"}'),
    ("lone surrogate in JSON", AS2, as_create("\\ud800 alone")),
    ("low surrogate in a name", AS2, as_create("hi", name="\\udc00")),
    ("NUL in JSON", AS2, as_create("a\\u0000b")),
    ("NUL in a name", AS2, as_create("hi", name="x\\u0000")),
    ("type as a list of junk", AS2, b'{"type": [["Create"]], "actor": {"id": 5}}'),
    ("huge integers", AS2, b'{"type": "Create", "id": ' + HUGE_ID.encode() * 40 + b"}"),
    ("the wrong content type", "text/html", as_create("hi")),
]


def post_routes(client: TestClient) -> list[str]:
    """Every POST route of the app as a path template."""
    paths = set()
    for route in client.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method == "POST" and path:
            paths.add(path)
    return sorted(paths)


def concrete(template: str, key: str) -> str:
    path = re.sub(r"\{key[^}]*\}", key, template)
    path = re.sub(r"\{handle[^}]*\}", "alice", path)
    path = re.sub(r"\{id[^}]*\}", HUGE_ID, path)
    return re.sub(r"\{code[^}]*\}", "nope", path)


async def row_counts() -> dict[str, int]:
    """How many rows each model's table holds."""
    counts = {}
    for app in Tortoise.apps.values():
        for name, model in app.items():
            counts[name] = await model.all().count()
    return counts


async def remote_signer() -> SigningKey:
    """A remote actor the node knows, and its private key (inbox POSTs signed for real)."""
    private_key = generate_private_key()
    await save_actor(
        {
            "id": REMOTE,
            "type": "Person",
            "preferredUsername": "mallory",
            "inbox": f"{REMOTE}/inbox",
            "publicKey": {
                "id": f"{REMOTE}#main-key",
                "owner": REMOTE,
                "publicKeyPem": public_key_to_pem(private_key.public_key()),
            },
        }
    )
    return SigningKey(f"{REMOTE}#main-key", private_key)


async def fuzz(
    client: TestClient, paths: list[str], bodies: list[tuple[str, str, bytes]], token: str
) -> list[str]:
    """Post every body to every path; the failures, described."""
    failures = []
    for label, content_type, body in bodies:
        before = await row_counts()
        for path in paths:
            response = await client.post(
                path,
                data=body.replace(TOKEN.encode(), token.encode()),
                headers={"Content-Type": content_type},
                allow_redirects=False,
            )
            if response.status >= 500 or response.status < 400:
                failures.append(f"{label} → POST {path}: {response.status}")
        if (after := await row_counts()) != before:
            changed = {
                name: (before[name], after[name]) for name in after if after[name] != before[name]
            }
            failures.append(f"{label}: rows written {changed}")
    return failures


async def test_malformed_bodies_to_every_post_route_get_a_4xx_and_write_nothing(
    client: TestClient,
) -> None:
    article = await post(client, "alice", await token_for("alice"), {
        "type": "Article", "name": "P", "summary": "S",
    })  # fmt: skip
    key = article["object"]["id"].rsplit("/", 1)[1]
    paths = [concrete(template, key) for template in post_routes(client)]
    assert {"/sign-in", "/inbox", "/actors/alice/outbox", "/follow"} <= set(paths)

    failures = await fuzz(client, paths, FORM_BODIES + JSON_BODIES, "no-session")
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    token = csrf_in(await page(client, "/admin/invites"))
    failures += await fuzz(client, paths, FORM_BODIES + JSON_BODIES, token)
    assert not failures, "\n".join(failures)
    await page(client, "/admin/invites")  # still signed in: no fuzzed body signed ada out


async def test_malformed_activities_to_the_inboxes_are_refused_before_they_are_stored(
    client: TestClient,
) -> None:
    await token_for("alice")
    key = await remote_signer()
    failures = []
    for label, content_type, body in JSON_BODIES + FORM_BODIES:
        before = await row_counts()
        for path in ("/inbox", "/actors/alice/inbox"):
            signed = sign_request("POST", BASE + path, {"Content-Type": content_type}, body, key)
            for headers in ({"Content-Type": content_type}, signed):
                response = await client.post(path, data=body, headers=headers)
                if not 400 <= response.status < 500:
                    failures.append(f"{label} → {path} {len(headers)}: {response.status}")
        if (after := await row_counts()) != before:
            changed = {
                name: (before[name], after[name]) for name in after if after[name] != before[name]
            }
            failures.append(f"{label}: rows written {changed}")
    assert not failures, "\n".join(failures)
    # the same activity without the poison is accepted, so the refusals above were for it
    good = as_create("<p>hi</p>")
    signed = sign_request("POST", BASE + "/inbox", {"Content-Type": AS2}, good, key)
    assert (await client.post("/inbox", data=good, headers=signed)).status == 202
