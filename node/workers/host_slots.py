"""Turns per remote host for the delivery worker."""

from __future__ import annotations

import asyncio
from types import TracebackType


class HostSlots:
    """At most `per_host` sends to one host at a time: a host's next delivery waits for a
    connection to come free and reuses it, instead of opening one more (a TCP and TLS
    handshake on both sides), and a small server is not hit by a whole fan-out at once."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._hosts: dict[str, tuple[asyncio.Semaphore, int]] = {}  # semaphore, users

    def turn(self, host: str) -> _Turn:
        """`async with slots.turn(host):` waits for a turn to send to `host`."""
        return _Turn(self, host)

    async def _acquire(self, host: str) -> None:
        semaphore, users = self._hosts.get(host, (None, 0))
        if semaphore is None:
            semaphore = asyncio.Semaphore(self._per_host)
        self._hosts[host] = (semaphore, users + 1)
        try:
            await semaphore.acquire()
        except BaseException:
            self._leave(host)
            raise

    def _release(self, host: str) -> None:
        self._hosts[host][0].release()
        self._leave(host)

    def _leave(self, host: str) -> None:
        semaphore, users = self._hosts[host]
        if users == 1:
            del self._hosts[host]  # forget hosts with nobody waiting
        else:
            self._hosts[host] = (semaphore, users - 1)

    def busy_hosts(self) -> int:
        """How many hosts have a send under way or waiting (idle hosts are forgotten)."""
        return len(self._hosts)


class _Turn:
    """One send's turn at a host (a class, not a generator: it runs once per delivery)."""

    __slots__ = ("_host", "_slots")

    def __init__(self, slots: HostSlots, host: str) -> None:
        self._slots, self._host = slots, host

    async def __aenter__(self) -> None:
        await self._slots._acquire(self._host)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._slots._release(self._host)
