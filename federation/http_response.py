"""Reading one HTTP/1.x response from bytes as they arrive (sans I/O), for http_post.py.

Content-Length, chunked (with extensions and trailers) and until-close bodies; 1xx interim
answers are skipped and 101 refused. Only the first bytes of a body are kept, and a body is not
read past MAX_BODY_BYTES: the answer then ends there and its connection is not reused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_HEAD_BYTES = 65_536
MAX_BODY_BYTES = 1_048_576  # a longer answer is not read to its end: the connection is closed
_NO_BODY_STATUSES = frozenset({204, 304})


class HttpProtocolError(Exception):
    """The server's answer is not HTTP/1.1 we can read."""


class ConnectionClosed(Exception):
    """The server closed the connection before its answer was complete."""

    def __init__(self, message: str, *, before_answer: bool) -> None:
        super().__init__(message)
        self.before_answer = before_answer


@dataclass(frozen=True)
class PostAnswer:
    """What the server answered."""

    status: int
    headers: dict[str, str]  # names lower-cased; a repeated header keeps its last value
    excerpt: bytes  # the first bytes of the body
    reusable: bool  # the connection may carry another request


class ResponseParser:
    """Reads one HTTP/1.x response from the bytes fed to it (1xx interim answers skipped)."""

    def __init__(self, excerpt_bytes: int) -> None:
        self._excerpt_limit = excerpt_bytes
        self._buffer = bytearray()
        self._state: Callable[[], bool] = self._read_head  # True: call the next state now
        self._status = 0
        self._headers: dict[str, str] = {}
        self._keep_alive = True
        self._remaining = 0  # bytes of the body (or of the current chunk) still to come
        self._body_read = 0
        self._excerpt = bytearray()
        self.answer: PostAnswer | None = None

    @property
    def started(self) -> bool:
        """Whether any byte of the answer has arrived."""
        return self._state != self._read_head or bool(self._buffer)

    def feed(self, data: bytes) -> PostAnswer | None:
        """Take more bytes; the answer once it is complete."""
        self._buffer += data
        progressing = True
        while self.answer is None and progressing:
            progressing = self._state()
        return self.answer

    def feed_eof(self) -> PostAnswer:
        """The connection closed: the answer, if it was complete or ran until the close."""
        if self.answer is not None:
            return self.answer
        if self._state == self._read_until_close:
            return self._finish(reusable=False)
        raise ConnectionClosed(
            "the server closed the connection before its answer was complete",
            before_answer=not self.started,
        )

    def _find(self, marker: bytes, what: str) -> int:
        """Where `marker` starts in the buffer, or -1; an over-long `what` is an error."""
        end = self._buffer.find(marker)
        if end < 0 and len(self._buffer) > MAX_HEAD_BYTES:
            raise HttpProtocolError(f"{what} is too long")
        return end

    def _read_head(self) -> bool:
        end = self._find(b"\r\n\r\n", "the answer's head")
        if end < 0:
            return False
        head = bytes(self._buffer[:end]).decode("latin-1")
        del self._buffer[: end + 4]
        status_line, *lines = head.split("\r\n")
        version, status = _status_line(status_line)
        if 100 <= status < 200:
            if status == 101:
                raise HttpProtocolError("the server switched protocols")
            return True  # an interim answer: the real one follows
        self._status = status
        self._headers = _header_fields(lines)
        connection = self._headers.get("connection", "").lower()
        self._keep_alive = version == "HTTP/1.1" and "close" not in connection
        return self._start_body()

    def _start_body(self) -> bool:
        if self._status in _NO_BODY_STATUSES:
            self._finish(reusable=self._keep_alive)
            return False
        if "chunked" in self._headers.get("transfer-encoding", "").lower():
            self._state = self._read_chunk_size
            return True
        length = self._headers.get("content-length")
        if length is None:
            self._state, self._keep_alive = self._read_until_close, False
            return True
        if not length.strip().isdigit():
            raise HttpProtocolError(f"bad Content-Length {length[:40]!r}")
        self._remaining = int(length)
        self._state = self._read_length
        return True

    def _read_length(self) -> bool:
        taken = self._take(self._remaining)
        self._remaining -= taken
        if self._remaining == 0:
            self._finish(reusable=self._keep_alive)
            return False
        return self._check_size()

    def _read_chunk_size(self) -> bool:
        end = self._find(b"\r\n", "a chunk size line")
        if end < 0:
            return False
        line = bytes(self._buffer[:end]).split(b";", 1)[0].strip()
        del self._buffer[: end + 2]
        try:
            self._remaining = int(line, 16)
        except ValueError:
            raise HttpProtocolError(f"bad chunk size {line[:20]!r}") from None
        self._state = self._read_chunk_data if self._remaining else self._read_trailers
        return True

    def _read_chunk_data(self) -> bool:
        self._remaining -= self._take(self._remaining)
        if self._remaining:
            return self._check_size()
        self._state = self._read_chunk_end
        return True

    def _read_chunk_end(self) -> bool:
        if len(self._buffer) < 2:
            return False
        if self._buffer[:2] != b"\r\n":
            raise HttpProtocolError("a chunk does not end with CRLF")
        del self._buffer[:2]
        self._state = self._read_chunk_size
        return True

    def _read_trailers(self) -> bool:
        if self._buffer[:2] == b"\r\n":
            del self._buffer[:2]
            self._finish(reusable=self._keep_alive)
            return False
        end = self._find(b"\r\n\r\n", "the trailers")
        if end < 0:
            return False
        del self._buffer[: end + 4]
        self._finish(reusable=self._keep_alive)
        return False

    def _read_until_close(self) -> bool:
        self._take(len(self._buffer))
        return self._check_size()

    def _take(self, wanted: int) -> int:
        """Move up to `wanted` body bytes out of the buffer, keeping the excerpt's share."""
        taken = min(wanted, len(self._buffer))
        room = self._excerpt_limit - len(self._excerpt)
        if room > 0:
            self._excerpt += self._buffer[: min(room, taken)]
        del self._buffer[:taken]
        self._body_read += taken
        return taken

    def _check_size(self) -> bool:
        """Past MAX_BODY_BYTES the rest is not read: the answer is done, the connection not.
        Always False: the parser needs more bytes, or is finished."""
        if self._body_read > MAX_BODY_BYTES:
            self._finish(reusable=False)
        return False

    def _finish(self, *, reusable: bool) -> PostAnswer:
        leftover = bool(self._buffer)  # a server that sends more than it announced
        self.answer = PostAnswer(
            self._status, self._headers, bytes(self._excerpt), reusable and not leftover
        )
        return self.answer


def _status_line(line: str) -> tuple[str, int]:
    version, _, rest = line.partition(" ")
    code = rest[:3]
    if version not in ("HTTP/1.1", "HTTP/1.0") or not code.isdigit():
        raise HttpProtocolError(f"bad status line {line[:80]!r}")
    return version, int(code)


def _header_fields(lines: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise HttpProtocolError(f"bad header line {line[:80]!r}")
        headers[name.lower()] = value.strip()
    return headers
