"""The interop tier's environment: Townhall, bovine-herd and Fedify on TLS with .test names.

One environment per test session (per xdist worker): a local CA, a certificate per host, a
marked block in /etc/hosts, and the three servers, each on its own loopback address and port
443. Everything is undone at teardown: each process is ended by its own pid, the block is
removed. Where that cannot be done (not root, port 443 taken) the tests are skipped with the
reason; a peer that fails to install or start is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.interop.hosts import HOSTS, hosts_block
from tests.interop.install_peers import ensure_peers
from tests.interop.servers import (
    BovineDriver,
    BovineServer,
    BovineUser,
    FedifyPeer,
    Http,
    Site,
    TownhallServer,
    login,
)
from tests.interop.tls import LocalCA
from tests.support.databases import fresh_database_url

# Townhall's delivery worker, shortened so that a scenario never waits on a backoff.
TOWNHALL_TEST_TIMING = {
    "TOWNHALL_DELIVERY_POLL_SECONDS": "0.2",
    "TOWNHALL_DELIVERY_RETRY_BASE_SECONDS": "1",
    "TOWNHALL_DELIVERY_LEASE_SECONDS": "30",
}


def _worker_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def sites() -> dict[str, Site]:
    """The three hosts; parallel workers get their own names and addresses."""
    number = _worker_number()
    suffix = "" if number == 0 else f"-w{number}"
    base = 10 + 4 * number
    return {
        peer: Site(peer, f"{peer}{suffix}.test", f"127.0.44.{base + index}")
        for index, peer in enumerate(("townhall", "bovine", "fedify"))
    }


def why_not_runnable(all_sites: dict[str, Site]) -> str | None:
    """Why the harness cannot run here, or None."""
    if os.geteuid() != 0:
        return "the interop tier needs root: it edits /etc/hosts and listens on port 443"
    if not os.access(HOSTS, os.W_OK):
        return f"{HOSTS} is not writable"
    for site in all_sites.values():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((site.address, 443))
            except OSError as error:
                return f"cannot listen on {site.address}:443 for {site.host}: {error.strerror}"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed (Fedify needs them): apt-get install nodejs npm"
    return None


@dataclass
class Interop:
    """The running environment a scenario uses."""

    townhall: TownhallServer
    bovine: BovineServer
    bovine_driver: BovineDriver
    fedify: FedifyPeer
    http: Http
    ca: LocalCA


@pytest.fixture(scope="session")
def interop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Interop]:
    """Townhall, bovine-herd and Fedify running on TLS with .test names, for the session."""
    all_sites = sites()
    reason = why_not_runnable(all_sites)
    if reason and os.environ.get("TOWNHALL_INTEROP_REQUIRED") == "1":
        pytest.fail(f"interop harness cannot run here (and .ci/run requires it): {reason}")
    if reason:
        pytest.skip(f"interop harness cannot run here: {reason}")
    peers = ensure_peers()
    folder = tmp_path_factory.mktemp("interop")
    ca = LocalCA(folder / "ca")
    # Python (Townhall, bovine): SSL_CERT_FILE and REQUESTS_CA_BUNDLE; Node: NODE_EXTRA_CA_CERTS.
    trust = {
        "SSL_CERT_FILE": str(ca.bundle_path),
        "REQUESTS_CA_BUNDLE": str(ca.bundle_path),
        "NODE_EXTRA_CA_CERTS": str(ca.cert_path),
    }
    http = Http(ca.client_context())
    with ExitStack() as stack:
        stack.enter_context(hosts_block({site.host: site.address for site in all_sites.values()}))
        database_url = stack.enter_context(fresh_database_url(folder))
        townhall_env = {
            **trust,
            **TOWNHALL_TEST_TIMING,
            "TOWNHALL_ALLOW_PRIVATE_ADDRESSES": "1",  # the .test names resolve to 127.0.44.x
            "TOWNHALL_DATA_DIR": "",
            "TOWNHALL_DATABASE_URL": "" if database_url.startswith("sqlite") else database_url,
        }
        townhall = TownhallServer(
            all_sites["townhall"],
            folder / "townhall",
            ca.issue(all_sites["townhall"].host),
            townhall_env,
            http,
        )
        bovine = BovineServer(
            all_sites["bovine"], folder / "bovine", ca.issue(all_sites["bovine"].host), peers, trust
        )
        fedify = FedifyPeer(
            all_sites["fedify"], folder / "fedify", ca.issue(all_sites["fedify"].host), peers, trust
        )
        fedify.http = http
        context = ca.client_context()
        for server in (townhall, bovine, fedify):
            stack.callback(server.process.stop)
            server.process.start()
        for server in (townhall, bovine, fedify):
            server.process.wait_for_tls(server.site.address, server.site.host, context)
        driver = BovineDriver(bovine)
        stack.callback(driver.stop)
        yield Interop(townhall, bovine, driver, fedify, http, ca)


@pytest.fixture
def bovine_user(interop: Interop) -> Callable[[str], BovineUser]:
    """Makes a new bovine user (bovine_tool), logged in through bovine's own client."""

    def make(prefix: str) -> BovineUser:
        handle = f"{prefix}{uuid.uuid4().hex[:6]}"
        return login(interop.bovine_driver, handle, interop.bovine.register(handle))

    return make
