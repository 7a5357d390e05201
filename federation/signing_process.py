"""RSA signatures computed in a child process, beside the event loop that sends the requests.

A fan-out spends a third of its CPU on RSA-2048. Threads did not take that off the event
loop's back: RSA frees the GIL while it works, but each signature still took the GIL and gave
it back around that, and the loop waited for it. With signing here, and the delivery worker's
other savings of the same day, bench/fanout.py went (same sitting, medians of three rounds)
from 0.56 to 0.75 of the single-core signing rate for personal inboxes and from 0.38 to 0.53
for shared ones.

The child (`federation.signing_child`) is started when signatures come in a burst (`ready()`
sees `burst` within a second) or by `start()` or `sign()`, and ends after `idle_seconds`
without a signature, when `close()` is called, or when this process dies (its stdin
closes). `ready()` does not wait: until the child has started (about 60 ms, mostly imports)
its callers sign in-process, so a fan-out never stalls.

Requests made in one turn of the event loop go to the child in one write. A key is sent
to it once (as DER) and kept while it is among the `max_keys` most recently used.

If the child cannot be started or dies, `sign` raises SigningUnavailable (the caller signs
in-process instead) and no new child is tried for `retry_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from federation.signing_child import (
    ADD_KEY,
    ANSWER,
    DROP_KEY,
    FRAME,
    KEY_INDEX,
    READY,
    SIGN,
    SIGNED,
)

log = logging.getLogger("townhall.federation")

IDLE_SECONDS = 300.0
RETRY_SECONDS = 30.0
MAX_KEYS = 256
BURST = 8  # signatures asked for within a second: a fan-out, worth a process

_JOB_IDS = 1 << 32
_IMPORT_ROOT = str(Path(__file__).resolve().parent.parent)
_PATIENCE_SECONDS = 5.0  # for the child to get ready, or to stop


class SigningUnavailable(Exception):
    """The signing process is not running, could not start, or died with this job."""


class SigningProcess:
    """Signs rsa-sha256 in a child process; one per event loop that delivers."""

    def __init__(
        self,
        *,
        idle_seconds: float = IDLE_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        max_keys: int = MAX_KEYS,
        burst: int = BURST,
    ) -> None:
        self._idle_seconds, self._retry_seconds = idle_seconds, retry_seconds
        self._max_keys, self._burst = max_keys, burst
        self._asked, self._asked_since = 0, 0.0
        self._child: _Child | None = None
        self._starting = asyncio.Lock()
        self._background_start: asyncio.Task[_Child] | None = None
        self._retry_at = 0.0
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for benchmarks and tests)."""
        return self._child.pid if self._child is not None else None

    def ready(self) -> bool:
        """Whether a child is running and has said it is ready, for a signature about to be
        made. If none is, the answer is False, and once `burst` signatures have been asked
        for within a second one is started in the background (unless closed, or pausing
        after a failure): a node that sends a reply now and then never runs one."""
        if self._child is not None:
            return self._child.ready.is_set()
        now = time.monotonic()
        if now - self._asked_since > 1.0:
            self._asked, self._asked_since = 0, now
        self._asked += 1
        wanted = self._asked >= self._burst and now >= self._retry_at
        if wanted and self._background_start is None and not self._closed:
            self._background_start = asyncio.get_running_loop().create_task(
                self._start(), name="signing-process-start"
            )
            self._background_start.add_done_callback(self._started_in_background)
        return False

    async def start(self) -> None:
        """Start the child now, if it is not running, and wait until it is ready."""
        child = self._child if self._child is not None else await self._start()
        try:
            async with asyncio.timeout(_PATIENCE_SECONDS):
                await child.ready.wait()
        except TimeoutError as error:
            raise SigningUnavailable("the signing process did not get ready") from error

    async def sign(self, private_key: RSAPrivateKey, data: bytes) -> bytes:
        """The rsa-sha256 signature of `data`; SigningUnavailable if the child cannot do it."""
        child = self._child if self._child is not None else await self._start()
        return await child.sign(private_key, data)

    async def close(self) -> None:
        """End the child (it finishes what it was given first) and start no other."""
        self._closed = True
        if self._background_start is not None:
            await asyncio.gather(self._background_start, return_exceptions=True)
        if self._child is not None:
            await self._child.stop()

    def _started_in_background(self, task: asyncio.Task[_Child]) -> None:
        self._background_start = None
        if not task.cancelled():
            task.exception()  # SigningUnavailable was logged by _start; callers sign in-process

    async def _start(self) -> _Child:
        async with self._starting:
            if self._child is not None:
                return self._child
            if self._closed or time.monotonic() < self._retry_at:
                raise SigningUnavailable("the signing process is not running")
            loop = asyncio.get_running_loop()
            try:
                _, child = await loop.subprocess_exec(
                    lambda: _Child(self._max_keys, self._idle_seconds, self._gone),
                    sys.executable,
                    "-m",
                    "federation.signing_child",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=None,
                    env={**os.environ, "PYTHONPATH": _python_path()},
                )
            except OSError as error:
                self._retry_at = time.monotonic() + self._retry_seconds
                log.warning("signing.process_failed", extra={"error": repr(error)})
                raise SigningUnavailable(f"the signing process did not start: {error}") from error
            self._child = child
            log.debug("signing.process_started", extra={"pid": child.pid})
            return child

    def _gone(self, child: _Child, expected: bool) -> None:
        if self._child is child:
            self._child = None
        if not expected:
            self._retry_at = time.monotonic() + self._retry_seconds
            log.warning("signing.process_died", extra={"pid": child.pid})


class _Child(asyncio.SubprocessProtocol):
    """One running signing process, seen through its pipes."""

    def __init__(
        self, max_keys: int, idle_seconds: float, gone: Callable[[_Child, bool], None]
    ) -> None:
        self._max_keys, self._idle_seconds, self._gone = max_keys, idle_seconds, gone
        self._transport: asyncio.SubprocessTransport | None = None
        self._stdin: asyncio.WriteTransport | None = None
        self._jobs: dict[int, asyncio.Future[bytes]] = {}
        self._next_job = 0
        self._keys: OrderedDict[int, tuple[RSAPrivateKey, int]] = OrderedDict()  # by id(key)
        self._next_index = 0
        self._outgoing = bytearray()
        self._answers = bytearray()
        self._flush_scheduled = False
        self._stopping = False
        self._ended = asyncio.Event()  # stdout closed: every answer is in
        self._exited = asyncio.Event()
        self._used_at = time.monotonic()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._stop_task: asyncio.Task[None] | None = None  # held, so it runs to its end
        self.pid: int | None = None
        self.ready = asyncio.Event()

    # --- asyncio.SubprocessProtocol ---------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport and its stdin pipe; start watching for idleness."""
        assert isinstance(transport, asyncio.SubprocessTransport)
        self._transport = transport
        stdin = transport.get_pipe_transport(0)
        assert isinstance(stdin, asyncio.WriteTransport)
        self._stdin = stdin
        self.pid = transport.get_pid()
        self._arm_idle_timer(self._idle_seconds)

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        """Answers from stdout: settle each finished job."""
        answers = self._answers
        answers += data
        used = 0
        while len(answers) - used >= ANSWER.size:
            job, status, length = ANSWER.unpack_from(answers, used)
            end = used + ANSWER.size + length
            if end > len(answers):
                break
            payload = bytes(answers[used + ANSWER.size : end])
            used = end
            if status == READY:
                self.ready.set()
                continue
            future = self._jobs.pop(job, None)
            if future is None or future.done():  # its task was cancelled meanwhile
                continue
            if status == SIGNED:
                future.set_result(payload)
            else:
                future.set_exception(SigningUnavailable(payload.decode("utf-8", "replace")))
        del answers[:used]

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        """Its stdout closed (after the last answer): nothing more will be answered."""
        if fd == 1:
            self._end()

    def process_exited(self) -> None:
        """The child has ended (its last answers may still be on their way)."""
        self._exited.set()

    # --- signing ------------------------------------------------------------------------

    async def sign(self, private_key: RSAPrivateKey, data: bytes) -> bytes:
        """Send one job (and the key, the first time) and wait for its signature."""
        if self._ended.is_set() or self._stopping:
            raise SigningUnavailable("the signing process has ended")
        index = self._key_index(private_key)
        job = self._next_job
        self._next_job = (job + 1) % _JOB_IDS
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._jobs[job] = future
        self._send(SIGN, job, KEY_INDEX.pack(index) + data)
        self._used_at = time.monotonic()
        return await future

    async def stop(self) -> None:
        """Close the child's stdin and wait for it to exit (killing it if it will not)."""
        self._stopping = True
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._flush()
        if self._transport is None:
            return
        if self._stdin is not None:
            self._stdin.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_PATIENCE_SECONDS):
                await self._ended.wait()
                await self._exited.wait()
        self._transport.close()  # kills the child if it is still there

    def _key_index(self, private_key: RSAPrivateKey) -> int:
        known = self._keys.pop(id(private_key), None)  # the entry holds the key: ids stay unique
        if known is None:
            index = self._next_index
            self._next_index = (index + 1) % _JOB_IDS
            der = private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            self._send(ADD_KEY, index, der)
            known = (private_key, index)
            if len(self._keys) >= self._max_keys:
                _, (_, dropped) = self._keys.popitem(last=False)
                self._send(DROP_KEY, dropped, b"")
        self._keys[id(private_key)] = known
        return known[1]

    def _send(self, kind: bytes, a: int, payload: bytes) -> None:
        self._outgoing += FRAME.pack(kind, a, len(payload))
        self._outgoing += payload
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        if self._outgoing and self._stdin is not None and not self._stdin.is_closing():
            self._stdin.write(bytes(self._outgoing))
        self._outgoing.clear()

    def _arm_idle_timer(self, delay: float) -> None:
        self._idle_timer = asyncio.get_running_loop().call_later(delay, self._check_idle)

    def _check_idle(self) -> None:
        idle_for = time.monotonic() - self._used_at
        if self._jobs or idle_for < self._idle_seconds:
            self._arm_idle_timer(max(0.01, self._idle_seconds - idle_for))
            return
        self._stopping = True
        self._gone(self, True)  # new signatures start a new child from now on
        self._stop_task = asyncio.get_running_loop().create_task(self.stop())

    def _end(self) -> None:
        if self._ended.is_set():
            return
        self._ended.set()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        for future in self._jobs.values():
            if not future.done():
                future.set_exception(SigningUnavailable("the signing process ended"))
        self._jobs.clear()
        self._gone(self, self._stopping)


def _python_path() -> str:
    """The child must import `federation` from where this process found it."""
    existing = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join([_IMPORT_ROOT, existing]) if existing else _IMPORT_ROOT
