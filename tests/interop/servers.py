"""The three servers of the interop tier and the ways a scenario drives them.

- `TownhallServer`: `townhall run` serving TLS itself on https://townhall.test; the test uses
  its client API (bearer tokens) as the other flow tests do.
- `BovineServer`: bovine-herd under hypercorn on https://bovine.test; users are made with
  bovine_tool and driven through bovine's own client (Moo-Auth-1) by `BovineDriver`.
- `FedifyPeer`: a Fedify federation on https://fedify.test with an actor, driven through its
  control API (peers/fedify_peer.mjs).

Every call a scenario makes is recorded on its `Step`, so a failure shows it.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.interop.install_peers import PEERS, InstalledPeers
from tests.interop.processes import ServiceProcess
from tests.interop.steps import Step
from tests.support.processes import townhall
from tests.support.webfinger_checks import Answer

AS2 = "application/activity+json"
JSONLD_CONTEXTS = Path(__file__).resolve().parents[1] / "fixtures" / "jsonld-contexts.json"
# Contexts bovine answers itself without a fetch (see bovine.jsonld.wrapper): not seeded.
BOVINE_OWN_CONTEXTS = ("https://www.w3.org/ns/activitystreams", "http://joinmastodon.org/ns")
TOOL_TIMEOUT = 60.0
DRIVER_TIMEOUT = 60.0
MAX_PAGES = 50


@dataclass(frozen=True)
class Site:
    """A peer's host name and the loopback address it listens on (port 443)."""

    peer: str
    host: str
    address: str

    @property
    def url(self) -> str:
        """Its base URL: https, no port."""
        return f"https://{self.host}"


class Http:
    """HTTPS requests from the test itself, trusting the local CA; each one recorded on a step."""

    def __init__(self, ssl_context: Any) -> None:
        self._ssl = ssl_context

    async def request(
        self,
        step: Step,
        method: str,
        url: str,
        *,
        body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        record: bool = True,
    ) -> tuple[int, Any]:
        """Send one request (a JSON body or a form); (status, parsed JSON or text)."""
        answer = await self.exchange(
            step, method, url, body=body, form=form, headers=headers, record=record
        )
        return answer.status, answer.body

    async def exchange(
        self,
        step: Step,
        method: str,
        url: str,
        *,
        body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        record: bool = True,
    ) -> Answer:
        """Send one request, as `request` does; the answer with its headers."""
        data: Any = json.dumps(body) if body is not None else form
        connector = aiohttp.TCPConnector(ssl=self._ssl)
        timeout = aiohttp.ClientTimeout(total=60)
        async with (
            aiohttp.ClientSession(connector=connector, timeout=timeout) as session,
            session.request(method, url, data=data, headers=headers or {}) as response,
        ):
            text = await response.text()
            status, media_type, answered = response.status, response.content_type, response.headers
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        if record:
            step.record(f"{method} {url}", body if form is None else form, status, parsed)
        return Answer(status, media_type, answered, parsed)


class TownhallServer:
    """A Townhall node serving TLS on its own address and port 443."""

    def __init__(self, site: Site, folder: Path, cert: Any, env: dict[str, str], http: Http):
        self.site = site
        self.http = http
        self.data_dir = folder / "data"
        self.env = env
        self.handle = "org"
        result = townhall(
            "init",
            "--data-dir",
            str(self.data_dir),
            "--url",
            site.url,
            "--name",
            "Interop Org",
            "--handle",
            self.handle,
            env=env,
        )
        if result.returncode != 0:
            raise RuntimeError(f"townhall init failed: {result.stderr}")
        self.process = ServiceProcess(
            "townhall",
            [
                *_townhall_command(),
                "run",
                "--data-dir",
                str(self.data_dir),
                "--host",
                site.address,
                "--port",
                "443",
                "--tls-cert",
                str(cert.cert),
                "--tls-key",
                str(cert.key),
            ],
            folder / "townhall.log",
            env=env,
        )

    @property
    def organisation(self) -> str:
        """The organisation's actor id."""
        return self.actor(self.handle)

    def actor(self, handle: str) -> str:
        """A local actor's id."""
        return f"{self.site.url}/actors/{handle}"

    def cli(self, *args: str) -> str:
        """A `townhall` command against this node; its stdout."""
        result = townhall(*args, "--data-dir", str(self.data_dir), env=self.env)
        if result.returncode != 0:
            raise RuntimeError(f"townhall {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def add_member(self, handle: str) -> str:
        """A new member; a bearer token for it."""
        self.cli("user", "add", handle)
        return self.token(handle)

    def token(self, handle: str) -> str:
        """A new bearer token for a local actor."""
        return self.cli("token", "create", handle).strip()

    async def post_outbox(
        self, step: Step, handle: str, token: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        """POST to a local actor's outbox; the created activity (fails the step unless 201)."""
        status, answer = await self.http.request(
            step,
            "POST",
            f"{self.actor(handle)}/outbox",
            body=activity,
            headers={"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2},
        )
        step.check(status == 201 and isinstance(answer, dict), "Townhall's outbox refused")
        return answer

    async def proxy(self, step: Step, token: str, url: str) -> dict[str, Any]:
        """Townhall's copy of a remote object, fetched through its proxyUrl (fails unless 200)."""
        status, answer = await self.http.request(
            step,
            "POST",
            f"{self.site.url}/proxy",
            form={"id": url},
            headers={"Authorization": f"Bearer {token}", "Accept": AS2},
        )
        step.check(status == 200 and isinstance(answer, dict), f"Townhall could not fetch {url}")
        return answer

    async def get(self, step: Step, url: str, token: str | None = None) -> tuple[int, Any]:
        """GET with the ActivityStreams Accept header (and a token if given)."""
        headers = {"Accept": AS2}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return await self.http.request(step, "GET", url, headers=headers, record=False)

    async def items(self, step: Step, url: str, token: str | None = None) -> list[Any]:
        """Every item of one of Townhall's paged collections (an error answer: no items)."""
        status, collection = await self.get(step, url, token)
        if status != 200 or not isinstance(collection, dict):
            return [f"HTTP {status}: {collection}"]
        found: list[Any] = []
        page_url = collection.get("first")
        for _ in range(MAX_PAGES):
            if not page_url:
                break
            status, page = await self.get(step, page_url, token)
            if status != 200 or not isinstance(page, dict):
                return [*found, f"HTTP {status}: {page}"]
            found.extend(page.get("orderedItems", []))
            page_url = page.get("next")
        return found


class BovineServer:
    """bovine-herd under hypercorn, in its own working dir (its store and JSON-LD cache)."""

    def __init__(self, site: Site, folder: Path, cert: Any, peers: InstalledPeers, env: dict):
        self.site = site
        self.folder = folder
        self.peers = peers
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(PEERS / "bovine_app.py", folder / "bovine_app.py")
        seed_jsonld_cache(folder / "bovine_jsonld_cache.sqlite")
        self.env = {**env, "BOVINE_DB_URL": f"sqlite://{folder / 'bovine.sqlite3'}"}
        self.process = ServiceProcess(
            "bovine",
            [
                str(peers.python),
                "-m",
                "hypercorn",
                "bovine_app:app",
                "--bind",
                f"{site.address}:443",
                "--certfile",
                str(cert.cert),
                "--keyfile",
                str(cert.key),
            ],
            folder / "bovine.log",
            env=self.env,
            cwd=folder,
        )

    def _tool(self, *args: str) -> str:
        result = subprocess.run(
            [str(self.peers.python), "-m", *args],
            cwd=self.folder,
            env={**_environ(), **self.env},
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"[bovine] {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def register(self, handle: str) -> str:
        """A new bovine user @handle@host; the secret of its client API (Moo-Auth-1)."""
        out = self._tool("bovine_tool.register", handle, "--domain", self.site.host)
        name = _after(out, "Bovine name:")
        return _after(self._tool("bovine_tool.manage", name, "--new_did_key"), "Your new secret:")


def seed_jsonld_cache(path: Path) -> None:
    """bovine's JSON-LD cache with the standard contexts, so it never fetches one offline."""
    contexts = json.loads(JSONLD_CONTEXTS.read_text(encoding="utf-8"))
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS jsonld (url TEXT PRIMARY KEY, context TEXT)")
        connection.executemany(
            "INSERT OR REPLACE INTO jsonld VALUES (?, ?)",
            [
                (url, json.dumps(document["@context"]))
                for url, document in contexts.items()
                if url not in BOVINE_OWN_CONTEXTS
            ],
        )
    connection.close()


class BovineDriver:
    """bovine's client library in the peers' virtualenv (peers/bovine_driver.py), one user
    per login; calls are JSON lines, answered in order."""

    def __init__(self, server: BovineServer) -> None:
        self.server = server
        self._process = subprocess.Popen(
            [str(server.peers.python), str(PEERS / "bovine_driver.py")],
            cwd=server.folder,
            env={**_environ(), **server.env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(server.folder / "driver.log").open("ab"),
            text=True,
        )
        self._answers: queue.Queue[str] = queue.Queue()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._answers.put(line)

    def call(self, op: str, **arguments: Any) -> dict[str, Any]:
        """One request to the driver; its answer (ok, or error with a trace)."""
        assert self._process.stdin is not None
        with self._lock:
            self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
            self._process.stdin.flush()
            try:
                line = self._answers.get(timeout=DRIVER_TIMEOUT)
            except queue.Empty:
                return {"ok": False, "error": f"no answer within {DRIVER_TIMEOUT:.0f} s"}
        answer: dict[str, Any] = json.loads(line)
        return answer

    @property
    def pid(self) -> int:
        """Its process id."""
        return self._process.pid

    def stop(self) -> None:
        """Close its input (it exits), or end it by pid."""
        if self._process.poll() is not None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)


@dataclass
class BovineUser:
    """A bovine user, driven through bovine's client API."""

    handle: str
    driver: BovineDriver
    actor: dict[str, Any]

    @property
    def id(self) -> str:
        """Its actor id (bovine makes opaque ids: https://host/endpoints/…)."""
        return str(self.actor["id"])

    @property
    def handle_at(self) -> str:
        """@handle@host."""
        return f"@{self.handle}@{self.driver.server.site.host}"

    async def _call(self, step: Step, op: str, request: str, **arguments: Any) -> dict[str, Any]:
        answer = await asyncio.to_thread(self.driver.call, op, user=self.handle, **arguments)
        sent = arguments.get("activity")
        if not answer.get("ok"):
            step.record(request, sent, "driver error", answer.get("trace") or answer.get("error"))
            raise step.fail(f"bovine's client failed: {answer.get('error')}")
        return answer

    async def post_outbox(self, step: Step, activity: dict[str, Any]) -> str:
        """POST to its outbox through bovine's client; the new activity's id (Location)."""
        answer = await self._call(
            step, "outbox", f"POST {self.actor['outbox']} (Moo-Auth-1)", activity=activity
        )
        step.record(
            f"POST {self.actor['outbox']} (Moo-Auth-1)",
            activity,
            answer["status"],
            {"location": answer.get("location"), "body": answer.get("body")},
        )
        step.check(
            answer["status"] == 201 and bool(answer.get("location")), "bovine's outbox refused"
        )
        return str(answer["location"])

    async def items(self, step: Step, collection: str) -> list[Any]:
        """The items of one of its collections (inbox, following, followers…)."""
        answer = await self._call(step, "items", f"GET {collection}", url=collection)
        return list(answer["items"])

    async def stored(self, step: Step, url: str) -> tuple[int, Any]:
        """bovine's own copy of an object or activity (through its proxyUrl)."""
        answer = await self._call(step, "proxy", f"POST proxyUrl id={url}", url=url)
        return int(answer["status"]), answer["body"]


def login(driver: BovineDriver, handle: str, secret: str) -> BovineUser:
    """Log a bovine user in through bovine's client (WebFinger lookup of its did:key)."""
    host = driver.server.site.host
    answer = driver.call("login", user=handle, domain=host, secret=secret)
    if not answer.get("ok"):
        raise RuntimeError(f"[bovine] login of {handle}@{host} failed: {answer.get('trace')}")
    return BovineUser(handle, driver, answer["actor"])


class FedifyPeer:
    """Fedify as a client with an actor of its own, driven through its control API."""

    def __init__(self, site: Site, folder: Path, cert: Any, peers: InstalledPeers, env: dict):
        self.site = site
        script = peers.node_dir / "fedify_peer.mjs"
        shutil.copy(PEERS / "fedify_peer.mjs", script)  # next to its node_modules
        self.process = ServiceProcess(
            "fedify",
            [shutil.which("node") or "node", str(script)],
            folder / "fedify.log",
            env={
                **env,
                "FEDIFY_HOST": site.host,
                "FEDIFY_ADDRESS": site.address,
                "TLS_CERT": str(cert.cert),
                "TLS_KEY": str(cert.key),
            },
            cwd=peers.node_dir,
        )
        self.http: Http | None = None

    @property
    def actor(self) -> str:
        """The id of its actor."""
        return f"{self.site.url}/users/fedi"

    async def control(self, step: Step, name: str, body: Any = None) -> dict[str, Any]:
        """Ask the peer to do something (lookup, webfinger, send) or to tell what it saw."""
        assert self.http is not None
        method = "GET" if body is None else "POST"
        status, answer = await self.http.request(
            step, method, f"{self.site.url}/_control/{name}", body=body, record=False
        )
        if status != 200 or not isinstance(answer, dict) or not answer.get("ok"):
            step.record(f"Fedify {name}", body, status, answer)
            raise step.fail(f"Fedify's {name} failed")
        return answer

    async def requests_sent(self, step: Step) -> list[dict[str, Any]]:
        """Every HTTP request Fedify has sent so far (method, url, scheme, status)."""
        return list((await self.control(step, "requests"))["requests"])

    async def received(self, step: Step) -> list[dict[str, Any]]:
        """The activities Fedify's inboxes accepted (signature verified by Fedify)."""
        return list((await self.control(step, "received"))["received"])


def _townhall_command() -> list[str]:
    return [sys.executable, "-m", "node.cli"]


def _environ() -> dict[str, str]:
    return dict(os.environ)


def _after(text: str, label: str) -> str:
    for line in text.splitlines():
        if line.startswith(label):
            return line.removeprefix(label).strip()
    raise RuntimeError(f"[bovine] no {label!r} in the tool's output: {text!r}")
