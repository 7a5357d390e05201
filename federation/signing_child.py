"""The signing process's own loop: `python -m federation.signing_child`, started by
`federation.signing_process.SigningProcess`. It imports only the standard library and
`cryptography`, so it starts fast and holds nothing but the keys it is handed.

On stdin, frames of ``kind (1 byte) | a (u32) | length (u32) | payload``:

- ``K``: remember the DER (PKCS #8) private key in the payload under index ``a``;
- ``D``: forget key ``a``;
- ``S``: sign (rsa-sha256) the payload's bytes after its first four, which name the key
  index, and answer job ``a``.

On stdout, one answer per ``S``: ``job (u32) | status (1 byte) | length (u16) | payload``,
status 0 with the signature, or 1 with a UTF-8 reason; first of all, once its imports are
done, a status 2 ("ready", job 0, no payload). Answers go out in one write every
`WRITE_SECONDS` or so, and when all that was read is answered. The process ends when stdin
closes (its parent closed it, or died).
"""

from __future__ import annotations

import os
import signal
import struct
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

FRAME = struct.Struct("!cII")
ANSWER = struct.Struct("!IBH")
KEY_INDEX = struct.Struct("!I")
ADD_KEY, DROP_KEY, SIGN = b"K", b"D", b"S"
SIGNED, REFUSED, READY = 0, 1, 2
_READ_BYTES = 1 << 20
WRITE_SECONDS = 0.002  # the first of a burst's answers need not wait for the last one


class Signer:
    """The keys this process holds and what it does with each frame."""

    def __init__(self) -> None:
        self._keys: dict[int, RSAPrivateKey] = {}
        self._padding, self._hash = padding.PKCS1v15(), hashes.SHA256()

    def handle(self, kind: bytes, a: int, payload: bytes, answers: bytearray) -> None:
        """Apply one frame, appending its answer (if it has one) to `answers`."""
        if kind == ADD_KEY:
            # the parent loaded (and so checked) this key already; checking again costs ~40 ms
            key = serialization.load_der_private_key(
                payload, password=None, unsafe_skip_rsa_key_validation=True
            )
            if isinstance(key, RSAPrivateKey):
                self._keys[a] = key
        elif kind == DROP_KEY:
            self._keys.pop(a, None)
        elif kind == SIGN:
            answers += self._sign(a, payload)

    def _sign(self, job: int, payload: bytes) -> bytes:
        (index,) = KEY_INDEX.unpack_from(payload)
        key = self._keys.get(index)
        if key is None:
            return _answer(job, REFUSED, f"no RSA key {index}".encode())
        return _answer(job, SIGNED, key.sign(payload[KEY_INDEX.size :], self._padding, self._hash))


def _answer(job: int, status: int, payload: bytes) -> bytes:
    return ANSWER.pack(job, status, len(payload)) + payload


def serve(read_fd: int = 0, write_fd: int = 1) -> None:
    """Say ready, then answer frames from `read_fd` on `write_fd` until `read_fd` ends."""
    os.write(write_fd, _answer(0, READY, b""))
    signer, pending = Signer(), bytearray()
    while chunk := os.read(read_fd, _READ_BYTES):
        pending += chunk
        answers, used, written_at = bytearray(), 0, time.monotonic()
        while len(pending) - used >= FRAME.size:
            kind, a, length = FRAME.unpack_from(pending, used)
            end = used + FRAME.size + length
            if end > len(pending):
                break
            signer.handle(kind, a, bytes(pending[used + FRAME.size : end]), answers)
            used = end
            if answers and time.monotonic() - written_at >= WRITE_SECONDS:
                _write_all(write_fd, answers)
                answers.clear()
                written_at = time.monotonic()
        del pending[:used]
        _write_all(write_fd, answers)


def _write_all(fd: int, data: bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main() -> None:
    """Serve stdin/stdout. Ctrl-C in a terminal and systemd's SIGTERM to the whole service
    are the parent's to handle: it closes our stdin when it stops, and we end then."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    serve()


if __name__ == "__main__":
    main()
