"""One thread beside the event loop for RSA signing, which releases the GIL while it works.

`loop.run_in_executor` would do, but a fan-out hands over a signature per POST, and the
executor's per-call machinery (a concurrent Future with its lock and condition, chained to an
asyncio Future both ways) costs the event loop as much as a tenth of a delivery. This hands
each call over through a SimpleQueue and answers with one `call_soon_threadsafe`.

One thread, not several: more would fight the event loop for the GIL (bench/fanout.py on two
cores: six signing threads delivered about a fifth fewer POSTs per second than one).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], contextvars.Context, Callable[[], Any]]


class SigningThread:
    """Runs calls in one daemon thread, in the caller's context, and awaits their results."""

    def __init__(self, name: str = "signing") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    async def call(self, function: Callable[[], T]) -> T:
        """Run `function()` in the thread with this task's context variables; return its result."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, contextvars.copy_context(), function))
        return await future

    def close(self) -> None:
        """Let the thread finish what it was given, then end."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread = None

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
