"""The signing threads: results, errors and the caller's context variables come back."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from federation import signing_threads
from federation.signing_threads import SigningThreads

CHOSEN = contextvars.ContextVar[str]("chosen", default="none")


async def test_a_call_runs_in_the_thread_and_returns_its_result() -> None:
    signing = SigningThreads(2, "test-signing")
    try:
        names = set(
            await asyncio.gather(
                *(signing.call(lambda: threading.current_thread().name) for _ in range(50))
            )
        )
    finally:
        signing.close()
    assert names <= {"test-signing-0", "test-signing-1"}


async def test_each_call_sees_its_own_tasks_context() -> None:
    signing = SigningThreads(2)

    async def as_(value: str) -> str:
        CHOSEN.set(value)
        await asyncio.sleep(0)
        return await signing.call(CHOSEN.get)

    try:
        seen = await asyncio.gather(*(as_(f"key-{n}") for n in range(20)))
    finally:
        signing.close()
    assert seen == [f"key-{n}" for n in range(20)]


async def test_an_error_is_raised_in_the_caller_and_the_thread_goes_on() -> None:
    signing = SigningThreads(2)

    def broken() -> str:
        raise ValueError("no key")

    try:
        with pytest.raises(ValueError, match="no key"):
            await signing.call(broken)
        assert await signing.call(lambda: "still here") == "still here"
    finally:
        signing.close()


async def test_a_cancelled_caller_does_not_break_the_next_call() -> None:
    signing = SigningThreads(2)
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "late"

    try:
        waiting = asyncio.create_task(signing.call(slow))
        await asyncio.to_thread(started.wait, 5)
        waiting.cancel()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert await signing.call(lambda: "next") == "next"
    finally:
        signing.close()


def test_one_thread_per_core_at_most_two(monkeypatch: pytest.MonkeyPatch) -> None:
    for cores, expected in ((None, 1), (1, 1), (2, 2), (64, 2)):
        monkeypatch.setattr(signing_threads.os, "cpu_count", lambda cores=cores: cores)
        assert signing_threads.default_thread_count() == expected
