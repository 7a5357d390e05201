"""Turns per remote host for the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class HostSlots:
    """At most `per_host` sends to one host at a time: a host's next delivery waits for a
    connection to come free and reuses it, instead of opening one more (a TCP and TLS
    handshake on both sides), and a small server is not hit by a whole fan-out at once."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._hosts: dict[str, tuple[asyncio.Semaphore, int]] = {}  # semaphore, users

    @contextlib.asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        """Wait for a turn to send to `host`."""
        semaphore, users = self._hosts.get(host, (None, 0))
        if semaphore is None:
            semaphore = asyncio.Semaphore(self._per_host)
        self._hosts[host] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._hosts[host]
            if users == 1:
                del self._hosts[host]  # forget hosts with nobody waiting
            else:
                self._hosts[host] = (semaphore, users - 1)

    def busy_hosts(self) -> int:
        """How many hosts have a send under way or waiting (idle hosts are forgotten)."""
        return len(self._hosts)
