"""The signing process: real child processes, real RSA, and what happens when one goes away."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from federation import delivery, signing_process
from federation.delivery import ContextSigner
from federation.keys import generate_private_key
from federation.signatures import ResolvedKey, SigningKey, verify_request
from federation.signing import rsa_sign
from federation.signing_child import ADD_KEY, ANSWER, FRAME, KEY_INDEX, READY, REFUSED, SIGN, SIGNED
from federation.signing_child import serve as serve_frames
from federation.signing_process import SigningProcess, SigningUnavailable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def keys() -> list[RSAPrivateKey]:
    return [generate_private_key() for _ in range(3)]


def gone(pid: int) -> bool:
    """Whether the process has ended (a zombie nobody reaped has ended too)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}


async def wait_until_gone(pid: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not gone(pid):
        assert time.monotonic() < deadline, f"process {pid} is still running"
        await asyncio.sleep(0.02)


async def test_signatures_from_the_child_are_the_ones_we_would_compute(
    keys: list[RSAPrivateKey],
) -> None:
    process = SigningProcess()
    jobs = [(keys[n % 3], f"request {n}".encode()) for n in range(90)]
    try:
        signatures = await asyncio.gather(*(process.sign(key, data) for key, data in jobs))
        pid = process.pid
    finally:
        await process.close()
    # PKCS #1 v1.5 is deterministic, so each must equal the in-process signature exactly
    assert signatures == [rsa_sign(key, data) for key, data in jobs]
    assert pid is not None and pid != os.getpid()
    assert gone(pid)


async def test_more_keys_than_the_limit_each_sign_correctly_in_turn(
    keys: list[RSAPrivateKey],
) -> None:
    process = SigningProcess(max_keys=2)
    try:
        for round_ in range(3):
            for key in keys:  # each key pushes the least recently used one out
                assert await process.sign(key, b"%d" % round_) == rsa_sign(key, b"%d" % round_)
    finally:
        await process.close()


async def test_a_killed_child_fails_its_jobs_and_a_new_one_starts_after_the_pause(
    keys: list[RSAPrivateKey],
) -> None:
    process = SigningProcess(retry_seconds=0.5)
    try:
        await process.sign(keys[0], b"warm up")
        first = process.pid
        assert first is not None
        os.kill(first, signal.SIGSTOP)  # hold it so the jobs below are surely pending
        pending = [asyncio.ensure_future(process.sign(keys[0], b"x")) for _ in range(5)]
        await asyncio.sleep(0.05)
        os.kill(first, signal.SIGKILL)
        results = await asyncio.gather(*pending, return_exceptions=True)
        assert all(isinstance(result, SigningUnavailable) for result in results)
        await wait_until_gone(first)
        with pytest.raises(SigningUnavailable):  # no new child during the pause
            await process.sign(keys[0], b"too soon")
        await asyncio.sleep(0.6)
        assert await process.sign(keys[0], b"later") == rsa_sign(keys[0], b"later")
        assert process.pid not in {None, first}
    finally:
        await process.close()


async def test_the_child_leaves_sigint_and_sigterm_to_its_parent(
    keys: list[RSAPrivateKey],
) -> None:
    # a terminal's Ctrl-C and systemd's stop signal the whole group; the parent ends the child
    process = SigningProcess()
    try:
        await process.start()
        pid = process.pid
        assert pid is not None
        os.kill(pid, signal.SIGINT)
        os.kill(pid, signal.SIGTERM)
        assert await process.sign(keys[0], b"still here") == rsa_sign(keys[0], b"still here")
        assert process.pid == pid
    finally:
        await process.close()
    assert gone(pid)


async def test_an_idle_child_ends_and_the_next_signature_starts_another(
    keys: list[RSAPrivateKey],
) -> None:
    process = SigningProcess(idle_seconds=0.2)
    try:
        await process.sign(keys[1], b"one")
        first = process.pid
        assert first is not None
        await wait_until_gone(first)
        assert process.pid is None
        assert await process.sign(keys[1], b"two") == rsa_sign(keys[1], b"two")
        assert process.pid not in {None, first}
    finally:
        await process.close()


async def test_the_context_signer_signs_in_process_when_the_child_is_unavailable(
    keys: list[RSAPrivateKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signing_process.sys, "executable", "/nonexistent/python")
    process = SigningProcess()
    signer = ContextSigner(process=process)
    key = SigningKey("https://a.example/actors/a#main-key", keys[2])
    url, body = "https://b.example/inbox", b'{"type": "Like"}'
    with pytest.raises(SigningUnavailable):
        await process.sign(keys[2], b"x")
    with signer.signing_as(key):
        headers = await signer("POST", url, {"Content-Type": "application/activity+json"}, body)
    await process.close()
    assert process.pid is None

    public_pem = (
        keys[2]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )

    async def resolve(key_id: str, *, refresh: bool) -> ResolvedKey:
        return ResolvedKey(key_id, "https://a.example/actors/a", public_pem)

    verified = await verify_request("POST", url, headers, body, resolve)
    assert verified.key_id == key.key_id


async def test_a_burst_of_signatures_starts_the_child_and_a_few_do_not(
    keys: list[RSAPrivateKey],
) -> None:
    process = SigningProcess(burst=5)
    signer = ContextSigner(process=process)
    key = SigningKey("https://a.example/actors/a#main-key", keys[0])
    try:
        with signer.signing_as(key):
            for _ in range(3):  # a reply now and then: signed here, no process
                await signer("GET", "https://b.example/x", {"Accept": "a/b"}, None)
            await asyncio.sleep(0.2)
            assert process.pid is None
            # a fan-out: all signed at once, here, while the child starts beside
            signed = await asyncio.gather(
                *(signer("GET", "https://b.example/x", {"Accept": "a/b"}, None) for _ in range(5))
            )
        assert all('keyId="https://a.example/actors/a#main-key"' in h["Signature"] for h in signed)
        deadline = time.monotonic() + 10
        while not process.ready():
            assert time.monotonic() < deadline, "no signing process was started"
            await asyncio.sleep(0.01)
    finally:
        await process.close()


async def test_the_context_signer_signs_here_until_the_child_is_ready_then_there(
    keys: list[RSAPrivateKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    process = SigningProcess()
    signer = ContextSigner(process=process)
    key = SigningKey("https://a.example/actors/a#main-key", keys[0])
    try:
        with signer.signing_as(key):
            first = await signer("GET", "https://b.example/x", {"Accept": "a/b"}, None)
        assert process.pid is None  # one signature is no reason to start a process
        await process.start()
        assert process.ready() is True

        def no_signing_here(*args: object) -> bytes:
            raise AssertionError("signed in-process although the child was ready")

        with monkeypatch.context() as patch:
            patch.setattr(delivery, "rsa_sign", no_signing_here)
            with signer.signing_as(key):
                second = await signer("GET", "https://b.example/x", {"Accept": "a/b"}, None)
        pid = process.pid
    finally:
        await process.close()
    assert first.keys() == second.keys()
    assert pid is not None and gone(pid)
    with pytest.raises(SigningUnavailable):
        await process.sign(keys[0], b"x")
    with signer.signing_as(key):  # closed: signed here again
        third = await signer("GET", "https://b.example/x", {"Accept": "a/b"}, None)
    assert third.keys() == first.keys() and process.pid is None


def test_the_child_ends_when_its_parent_is_killed() -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from federation.keys import generate_private_key
        from federation.signing_process import SigningProcess

        async def main():
            process = SigningProcess()
            await process.sign(generate_private_key(), b"x")
            print(process.pid, flush=True)
            await asyncio.sleep(60)

        asyncio.run(main())
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not gone(child)
    finally:
        parent.kill()
        parent.wait()
    asyncio.run(wait_until_gone(child))


def test_the_child_answers_frames_and_refuses_an_unknown_key(keys: list[RSAPrivateKey]) -> None:
    der = keys[0].private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    frames = (
        FRAME.pack(ADD_KEY, 7, len(der))
        + der
        + FRAME.pack(SIGN, 1, KEY_INDEX.size + 5)
        + KEY_INDEX.pack(7)
        + b"hello"
        + FRAME.pack(SIGN, 2, KEY_INDEX.size + 1)
        + KEY_INDEX.pack(8)
        + b"y"
    )
    requests_read, requests_write = os.pipe()
    answers_read, answers_write = os.pipe()
    # split mid-frame: the child must wait for the rest
    os.write(requests_write, frames[:10])
    os.write(requests_write, frames[10:])
    os.close(requests_write)
    serve_frames(requests_read, answers_write)
    os.close(answers_write)
    out = os.read(answers_read, 1 << 16)
    assert out[: ANSWER.size] == ANSWER.pack(0, READY, 0)  # said before reading anything
    out = out[ANSWER.size :]
    job, status, length = ANSWER.unpack_from(out)
    assert (job, status) == (1, SIGNED)
    assert out[ANSWER.size : ANSWER.size + length] == rsa_sign(keys[0], b"hello")
    rest = out[ANSWER.size + length :]
    job, status, length = ANSWER.unpack_from(rest)
    assert (job, status, rest[ANSWER.size :]) == (2, REFUSED, b"no RSA key 8")
    os.close(requests_read)
    os.close(answers_read)
