"""Make the databases of release 0.1.0 that tests/node/test_upgrade_from_release.py upgrades.

Release 0.1.0 is commit aa5c215: the last before the first schema change that came with a
migration (1_delivery_payload), the schema `0_initial` makes. This script runs that release's
own code (from `git archive`, with this venv's packages) as an admin would: `townhall init`,
`user add`, `token create`, then `townhall run` and its client API, to make an organisation,
two members, a proposal with sections, comments and a reply, an endorsement, an amendment, a
consultation question with a vote and a follow. It then writes

    tests/fixtures/release-0.1.0/townhall.sqlite3   the SQLite database (checkpointed)
    tests/fixtures/release-0.1.0/townhall.toml      the config the release wrote
    tests/fixtures/release-0.1.0/postgres.sql       a plain pg_dump of the same on PostgreSQL
    tests/fixtures/release-0.1.0/expected.json      what the test checks after upgrading, by
                                                    engine (ids, tokens, the organisation's key)

Run: .venv/bin/python tools/release_fixtures.py [POSTGRES_ADMIN_URL]
(the default admin URL is postgres://postgres@127.0.0.1:5432/test; a database
`townhall_release_fixture` is made there and dropped afterwards).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.processes import free_port

RELEASE = "aa5c215"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "release-0.1.0"
URL = "https://old-node.example"
ORGANISATION = "oldcharity"
MEMBERS = {"ada": "ada's long password", "bob": "bob's long password"}
DEFAULT_ADMIN = "postgres://postgres@127.0.0.1:5432/test"
FIXTURE_DB = "townhall_release_fixture"
AS2 = "application/activity+json"
END_TIME = "2027-06-30T12:00:00Z"  # within a year of when the fixtures were made


def main() -> None:
    admin = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_ADMIN
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        release = Path(folder) / "release"
        _extract(release)
        expected = {"sqlite": _make(release, Path(folder) / "sqlite", None)}
        database = Path(folder) / "sqlite" / "townhall.sqlite3"
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("VACUUM")
        shutil.copyfile(database, OUT / "townhall.sqlite3")
        shutil.copyfile(database.with_name("townhall.toml"), OUT / "townhall.toml")
        base = admin.rpartition("/")[0]
        _psql(admin, f'DROP DATABASE IF EXISTS "{FIXTURE_DB}"')
        _psql(admin, f'CREATE DATABASE "{FIXTURE_DB}"')
        try:
            expected["postgres"] = _make(release, Path(folder) / "postgres", f"{base}/{FIXTURE_DB}")
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", "--format=plain",
                 f"{base.replace('postgres://', 'postgresql://')}/{FIXTURE_DB}"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            (OUT / "postgres.sql").write_text(_without_version_lines(dump))
        finally:
            _psql(admin, f'DROP DATABASE IF EXISTS "{FIXTURE_DB}"')
    (OUT / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT}")


def _extract(into: Path) -> None:
    into.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", RELEASE], cwd=ROOT, check=True, capture_output=True
    ).stdout
    tar_path = into.parent / "release.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")


def _townhall(release: Path, *args: str, stdin: str = "", env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "node.cli", *args],
        cwd=release, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"townhall {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def _make(release: Path, data_dir: Path, database_url: str | None) -> dict[str, Any]:
    """Make the node with the release's code; what the test expects to find after upgrading."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOWNHALL_")}
    env["PYTHONPATH"] = str(release)
    if database_url:
        env["TOWNHALL_DATABASE_URL"] = database_url
    where = ("--data-dir", str(data_dir))
    _townhall(release, "init", *where, "--url", URL, "--name", "Old Charity",
              "--handle", ORGANISATION, env=env)  # fmt: skip
    for handle, password in MEMBERS.items():
        _townhall(release, "user", "add", *where, handle, "--name", handle.title(),
                  "--password-stdin", stdin=password, env=env)  # fmt: skip
    tokens = {
        handle: _townhall(release, "token", "create", *where, handle, env=env).split()[-1]
        for handle in (ORGANISATION, *MEMBERS)
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "node.cli", "run", *where, "--port", str(port)],
        cwd=release, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        return _fill(f"http://127.0.0.1:{port}", tokens)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fill(base: str, tokens: dict[str, str]) -> dict[str, Any]:
    def post(handle: str, document: dict[str, Any]) -> str:
        request = urllib.request.Request(
            f"{base}/actors/{handle}/outbox",
            data=json.dumps(document).encode(),
            headers={"Authorization": f"Bearer {tokens[handle]}", "Content-Type": AS2},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return str(answer.headers["Location"])
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{handle} posting {document['type']}: {error.read()!r}") from None

    def object_of(activity_uri: str, handle: str) -> str:
        path = activity_uri.removeprefix(URL)
        request = urllib.request.Request(
            base + path, headers={"Accept": AS2, "Authorization": f"Bearer {tokens[handle]}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            document = json.load(answer)
        found = document["object"]
        return str(found if isinstance(found, str) else found["id"])

    proposal = object_of(
        post(ORGANISATION, {
            "type": "Article",
            "name": "Open the advice centre on Saturdays",
            "summary": "People who work weekdays cannot reach us.",
            "source": {"content": "## Why\n\nPeople who work weekdays cannot reach us.\n\n"
                                  "## Proposed change\n\nOpen 10-4 on Saturdays.",
                       "mediaType": "text/markdown"},
        }),
        ORGANISATION,
    )  # fmt: skip
    comment = object_of(
        post("ada", {"type": "Note", "content": "<p>Yes: I work shifts.</p>",
                     "inReplyTo": proposal}),
        "ada",
    )  # fmt: skip
    reply = object_of(
        post("bob", {"type": "Note", "content": "<p>Me too, most weeks.</p>",
                     "inReplyTo": comment}),
        "bob",
    )  # fmt: skip
    post("ada", {"type": "Like", "object": proposal})
    post("bob", {"type": "Note", "inReplyTo": proposal, "content": "<p>Earlier?</p>",
                 "amendment": {"section": "proposed_change",
                               "suggestedText": "Open 9-1 on Saturdays."}})  # fmt: skip
    question = object_of(
        post(ORGANISATION, {"type": "Question", "inReplyTo": proposal,
                            "content": "<p>Which Saturday hours suit you?</p>",
                            "oneOf": [{"type": "Note", "name": "Morning"},
                                      {"type": "Note", "name": "Afternoon"}],
                            "endTime": END_TIME}),
        ORGANISATION,
    )  # fmt: skip
    post("ada", {"type": "Note", "name": "Morning", "inReplyTo": question})
    post("bob", {"type": "Follow", "object": f"{URL}/actors/{ORGANISATION}"})
    actor = urllib.request.Request(f"{base}/actors/{ORGANISATION}", headers={"Accept": AS2})
    with urllib.request.urlopen(actor, timeout=30) as answer:
        public_key = json.load(answer)["publicKey"]["publicKeyPem"]
    return {
        "public_key": public_key,
        "url": URL,
        "organisation": ORGANISATION,
        "members": MEMBERS,
        "proposal": proposal,
        "comment": comment,
        "reply": reply,
        "question": question,
        "tokens": tokens,
    }


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the release's node did not answer {url}")


def _psql(admin_url: str, statement: str) -> None:
    url = admin_url.replace("postgres://", "postgresql://")
    subprocess.run(["psql", url, "-q", "-c", statement], check=True, capture_output=True)


def _without_version_lines(dump: str) -> str:
    """The dump without the lines naming pg_dump's version (the file changes only with data)."""
    return "".join(
        line for line in dump.splitlines(keepends=True)
        if not line.startswith(("-- Dumped from", "-- Dumped by"))
    )  # fmt: skip


if __name__ == "__main__":
    main()
