"""Threads beside the event loop for RSA signing, which releases the GIL while it works.

`loop.run_in_executor` would do, but a fan-out hands over a signature per POST, and the
executor's per-call machinery (a concurrent Future with its lock and condition, chained to an
asyncio Future both ways) costs the event loop as much as a tenth of a delivery. This hands
each call over through a SimpleQueue and answers with one `call_soon_threadsafe`.

As many threads as cores, up to two: on two cores bench/fanout.py delivered about 15 % more
per second with two than with one (medians of three rounds, twice), and six fought the event
loop for the GIL and delivered about a fifth fewer than one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_THREADS = 2

_Job = tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], contextvars.Context, Callable[[], Any]]


def default_thread_count() -> int:
    """One signing thread per core, at most MAX_THREADS."""
    return max(1, min(MAX_THREADS, os.cpu_count() or 1))


class SigningThreads:
    """Runs calls in daemon threads, in the caller's context, and awaits their results."""

    def __init__(self, count: int | None = None, name: str = "signing") -> None:
        self._count = count or default_thread_count()
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    async def call(self, function: Callable[[], T]) -> T:
        """Run `function()` in a thread with this task's context variables; return its result."""
        if not self._threads:
            self._start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, contextvars.copy_context(), function))
        return await future

    def close(self) -> None:
        """Let the threads finish what they were given, then end."""
        for _ in self._threads:
            self._jobs.put(None)
        self._threads = []

    def _start(self) -> None:
        for number in range(self._count):
            thread = threading.Thread(target=self._work, name=f"{self._name}-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            loop, future, context, function = job
            try:
                outcome: tuple[Callable[..., None], Any] = (_succeed, context.run(function))
            except BaseException as error:  # handed to the awaiting task
                outcome = (_fail, error)
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
                loop.call_soon_threadsafe(outcome[0], future, outcome[1])


def _succeed(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # the awaiting task may have been cancelled meanwhile
        future.set_result(result)


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
