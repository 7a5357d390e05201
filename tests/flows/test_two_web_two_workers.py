"""Scale out on PostgreSQL: two `townhall run` processes behind nginx and two `townhall worker`s
on one database. A session and its CSRF token made by one web process work on the other, the
sign-in limit counts tries made to either, a visitor's cached page is rendered afresh on one
process after a change made through the other, and a burst of Follows from a remote server
is answered with one Accept each: every delivery exactly once.

Real parts: Debian's nginx (run as the test's user, its config, pid and logs in tmp), the
`townhall` processes, PostgreSQL, and a FakeRemote server on loopback.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from tests.fakes import FakeRemote
from tests.flows.test_delivery_survives_kill import FAST_DELIVERY, WorkerProcess
from tests.support.databases import POSTGRES_ENV
from tests.support.inboxes import wait_until
from tests.support.processes import NodeProcess, free_port, townhall

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "correct horse battery"
FOLLOWERS = 24
HTML = {"Accept": "text/html"}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get(POSTGRES_ENV),
        reason=f"several processes on one database need PostgreSQL: set {POSTGRES_ENV}",
    ),
    pytest.mark.skipif(
        not os.path.exists(NGINX), reason="needs Debian's nginx (make browser-system-tools)"
    ),
]

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream townhall {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://townhall;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_request_buffering off;
        }}
    }}
}}
"""


def start_nginx(folder: Path, port: int, upstreams: tuple[int, int]) -> subprocess.Popen[bytes]:
    """nginx on 127.0.0.1:`port` in front of both web processes (round robin), in `folder`."""
    folder.mkdir()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(mode=0o777)
        (folder / name).chmod(0o777)  # the workers may run as another user when root starts it
    config = folder / "nginx.conf"
    first, second = upstreams
    config.write_text(NGINX_CONF.format(folder=folder, port=port, first=first, second=second))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                raise AssertionError(f"nginx did not start: {log}") from None
            time.sleep(0.05)


def stop_nginx(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Cluster:
    """nginx, two web processes and two workers on one node's database."""

    def __init__(self, base: str, webs: list[NodeProcess], database_url: str) -> None:
        self.base = base
        self.webs = webs
        self.database_url = database_url

    async def progress(self) -> str:
        """What the queues hold, for a failure's message."""
        connection = await asyncpg.connect(self.database_url)
        try:
            inbox = await connection.fetch("SELECT state, error FROM inbox_item")
            deliveries = await connection.fetch(
                "SELECT state, activity_uri, inbox_uri, payload FROM delivery ORDER BY id"
            )
        finally:
            await connection.close()
        return (
            f"inbox: {[tuple(row) for row in inbox]}; deliveries: {[tuple(r) for r in deliveries]}"
        )

    async def fetch_value(self, query: str) -> Any:
        connection = await asyncpg.connect(self.database_url)
        try:
            return await connection.fetchval(query)
        finally:
            await connection.close()


@pytest.fixture
def cluster(tmp_path: Path, node_env: dict[str, str]) -> Iterator[Cluster]:
    # a node whose public address is nginx's, with a member who signs in with a password
    proxy_port, ports = free_port(), (free_port(), free_port())
    data_dir = tmp_path / "data"
    base = f"http://127.0.0.1:{proxy_port}"
    env = {**node_env, **FAST_DELIVERY}
    made = townhall(
        "init", "--data-dir", str(data_dir), "--url", base, "--name", "Org", "--handle", "org",
        env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    added = townhall(
        "user", "add", "--data-dir", str(data_dir), "amina", "--password-stdin",
        stdin=PASSWORD + "\n", env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    webs = [NodeProcess(data_dir, env=env, port=port) for port in ports]
    workers: list[WorkerProcess] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for web in webs:
            web.start()
        workers = [WorkerProcess(data_dir, env, tmp_path / f"worker-{n}.log") for n in (1, 2)]
        nginx = start_nginx(tmp_path / "nginx", proxy_port, ports)
        yield Cluster(base, webs, env["TOWNHALL_DATABASE_URL"])
        assert [web.terminate() for web in webs] == [0, 0]
        assert [worker.stop() for worker in workers] == [0, 0]
    finally:
        if nginx is not None:
            stop_nginx(nginx)
        for web in webs:
            web.kill()
        for worker in workers:
            worker.stop(signal.SIGKILL)


def browser() -> aiohttp.ClientSession:
    """A browser with its own cookie jar (cookies for 127.0.0.1 go to every port there)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def text_of(session: aiohttp.ClientSession, url: str, **headers: str) -> tuple[int, str]:
    async with session.get(url, headers={**HTML, **headers}, allow_redirects=False) as answer:
        return answer.status, await answer.text()


def csrf_in(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


async def sign_in(
    session: aiohttp.ClientSession, form_from: str, post_to: str, password: str, address: str = ""
) -> int:
    """GET the sign-in form from one place and POST it to another (as if from `address`, or
    from this host as nginx tells it); the POST's status."""
    _, form = await text_of(session, f"{form_from}/sign-in")
    fields = {"csrf_token": csrf_in(form), "handle": "amina", "password": password}
    async with session.post(
        f"{post_to}/sign-in",
        data=fields,
        headers={"X-Forwarded-For": address} if address else {},
        allow_redirects=False,
    ) as answer:
        return answer.status


async def test_sessions_csrf_limits_and_caches_work_across_two_web_processes(
    cluster: Cluster,
) -> None:
    first, second = (web.base for web in cluster.webs)
    async with browser() as amina:
        # Given Amina's browser, given its form (and CSRF token) by the first process
        # When she signs in through the second, then reads pages from the first
        assert await sign_in(amina, first, second, PASSWORD, "192.0.2.10") == 303
        status, home = await text_of(amina, f"{first}/")
        # Then the session and the token made by one process work on the other
        assert status == 200 and "Sign out" in home
        _, settings = await text_of(amina, f"{second}/settings/profile")
        fields = {"csrf_token": csrf_in(settings), "name": "Amina K", "summary": ""}
        async with amina.post(
            f"{first}/settings/profile", data=fields, allow_redirects=False
        ) as saved:
            assert saved.status == 303
        # …and through nginx, which sends one request to each process in turn
        for _ in range(4):
            status, page = await text_of(amina, f"{cluster.base}/")
            assert status == 200 and "Sign out" in page
    async with browser() as guesser:
        # Given someone on this host guessing her password, by turns on each process and
        # through nginx (which tells both the same address)
        places = (first, second, cluster.base)
        statuses = [await sign_in(guesser, first, places[n % 3], "wrong guess!") for n in range(6)]
        # Then the five free tries are counted together, and each refuses the sixth and more
        assert statuses == [401] * 5 + [429]
        for place in places:
            assert await sign_in(guesser, second, place, PASSWORD) == 429
    async with browser() as visitor:
        # Given a visitor's page of her profile cached by both processes
        for web in (first, second):
            status, profile = await text_of(visitor, f"{web}/actors/amina")
            assert status == 200 and "Amina K" in profile
        # When she changes her name through one process
        async with browser() as amina:
            assert await sign_in(amina, second, second, PASSWORD, "192.0.2.10") == 303
            _, settings = await text_of(amina, f"{second}/settings/profile")
            fields = {"csrf_token": csrf_in(settings), "name": "Amina Khan", "summary": ""}
            async with amina.post(
                f"{second}/settings/profile", data=fields, allow_redirects=False
            ) as saved:
                assert saved.status == 303
        # Then the other shows the new name to visitors at once
        for web in (first, second, cluster.base):
            _, profile = await text_of(visitor, f"{web}/actors/amina")
            assert "Amina Khan" in profile and "Amina K<" not in profile


async def test_a_burst_of_follows_through_nginx_is_answered_once_each(cluster: Cluster) -> None:
    organisation = f"{cluster.base}/actors/org"
    async with FakeRemote(software="mastodon") as remote:
        # Given a burst of Follows from many people on one server, through nginx to both
        followers = [remote.add_actor(f"follower{n}") for n in range(FOLLOWERS)]
        follows = [remote.follow(follower, organisation) for follower in followers]
        statuses = await asyncio.gather(
            *(
                remote.deliver(follower, f"{cluster.base}/inbox", follow)
                for follower, follow in zip(followers, follows, strict=True)
            )
        )
        assert [status for status, _ in statuses] == [202] * FOLLOWERS

        # When the two web processes and the two workers have done their work
        async def all_delivered() -> bool:
            delivered = await cluster.fetch_value(
                "SELECT count(*) FROM delivery WHERE state = 'delivered'"
            )
            return bool(delivered == FOLLOWERS)

        deadline = time.monotonic() + 60
        while not await all_delivered():
            assert time.monotonic() < deadline, await cluster.progress()
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # room for a second copy, were one to be sent
        # Then each Follow got exactly one Accept, signed by the organisation
        accepts = remote.received("Accept")
        answered = Counter(
            accept.json["object"]["id"]
            if isinstance(accept.json["object"], dict)
            else accept.json["object"]
            for accept in accepts
        )
        assert answered == Counter({follow["id"]: 1 for follow in follows})
        assert all(accept.signature.valid for accept in accepts)
        assert await cluster.fetch_value("SELECT count(*) FROM follow") == FOLLOWERS
        assert await cluster.fetch_value("SELECT count(*) FROM delivery") == FOLLOWERS
        assert await wait_until(lambda: len(remote.received("Accept")) == FOLLOWERS, 1)
