"""Host names for the interop peers: a marked block in /etc/hosts, removed afterwards.

Each block is marked with the pid of the test process that wrote it, so that a block left by
a test run that was killed is recognised (its pid is gone) and removed by the next run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

HOSTS = Path("/etc/hosts")
BEGIN = "# >>> townhall interop (pid {pid}) >>>"
END = "# <<< townhall interop (pid {pid}) <<<"
_BLOCK = re.compile(
    r"^# >>> townhall interop \(pid (\d+)\) >>>\n.*?^# <<< townhall interop \(pid \1\) <<<\n",
    re.MULTILINE | re.DOTALL,
)


@contextmanager
def hosts_block(names: Mapping[str, str], path: Path = HOSTS) -> Iterator[None]:
    """Map each host name to its address in `path` for the duration of the block."""
    pid = os.getpid()
    lines = [BEGIN.format(pid=pid)]
    lines += [f"{address} {name}" for name, address in names.items()]
    lines.append(END.format(pid=pid))
    text = _without_stale_blocks(path.read_text())
    if text and not text.endswith("\n"):
        text += "\n"
    _write(path, text + "\n".join(lines) + "\n")
    try:
        yield
    finally:
        _write(path, _without_block(path.read_text(), pid))


def _without_block(text: str, pid: int) -> str:
    return _BLOCK.sub(lambda match: "" if int(match.group(1)) == pid else match.group(0), text)


def _without_stale_blocks(text: str) -> str:
    return _BLOCK.sub(lambda match: match.group(0) if _alive(int(match.group(1))) else "", text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write(path: Path, text: str) -> None:
    # In place, not by rename: /etc/hosts is often a bind mount (containers).
    with path.open("r+") as handle:
        handle.seek(0)
        handle.write(text)
        handle.truncate()
