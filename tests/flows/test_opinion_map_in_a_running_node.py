"""A running node redraws an opinion map after votes, in a child process: the node's own
process never loads numpy, before or after; `townhall worker` draws maps too."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.flows.test_accounts_by_email import Worker
from tests.support.nodes import eventually, running_node
from tests.support.opinion_votes import map_computed, voted_proposal_on

QUICK = {"TOWNHALL_OPINION_DEBOUNCE_SECONDS": "0", "TOWNHALL_OPINION_POLL_SECONDS": "0.2"}


def libraries_mapped(pid: int) -> str:
    """The files process `pid` has mapped into its memory (its shared libraries among them)."""
    return Path(f"/proc/{pid}/maps").read_text()


async def test_a_node_draws_the_map_without_loading_numpy_itself(tmp_path: Path) -> None:
    with running_node(tmp_path, extra_env=QUICK) as node:
        node.cli("user", "add", "ada")
        assert node.process.process is not None
        pid = node.process.process.pid
        assert "numpy" not in libraries_mapped(pid)
        path = await voted_proposal_on(node, "ada")
        await map_computed(node)
        async with aiohttp.ClientSession() as session, session.get(node.base + path) as response:
            html = await response.text()
        assert "People who voted fall into 2 opinion groups." in html
        assert "Group A has 15 people (shown as circles)" in html
        assert "numpy" not in libraries_mapped(pid)  # the maths ran in a child process


async def test_townhall_worker_draws_the_map_beside_the_web_process(tmp_path: Path) -> None:
    # the web process waits an hour before drawing: only the worker process can draw it now
    with running_node(tmp_path, extra_env={"TOWNHALL_OPINION_DEBOUNCE_SECONDS": "3600"}) as node:
        node.cli("user", "add", "ada")
        log = tmp_path / "worker.log"
        worker = Worker(node, {**node.env, **QUICK}, log)
        try:
            path = await voted_proposal_on(node, "ada")
            await map_computed(node)

            async def times_logged() -> int:
                return worker.logged("opinion.map_computed")

            # the worker logs after its write is committed, so the line may trail the row a little
            await eventually(times_logged, lambda n: n >= 1, timeout=10, what="the worker's log")
            assert worker.logged("opinion.map_computed") == 1
        finally:
            assert worker.stop() == 0
        async with aiohttp.ClientSession() as session, session.get(node.base + path) as response:
            assert "People who voted fall into 2 opinion groups." in await response.text()
