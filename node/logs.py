"""Structured logging: one JSON line per event, with secrets masked."""

from __future__ import annotations

import functools
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

SECRET_WORDS = ("password", "token", "secret", "private_key", "authorization", "setup_code")
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, event, logger and its extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line, secrets masked."""
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            "logger": record.name,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                line[key] = mask_if_secret(key, value)
        if record.exc_info and record.levelno >= logging.ERROR:
            kind, error, _ = record.exc_info
            described = f"{kind.__name__}: {error}" if kind is not None else str(error)
            line["error"] = " ".join(described.split())  # one line, never the traceback
        return json.dumps(line, default=str, ensure_ascii=False)


def mask_if_secret(key: str, value: Any) -> Any:
    """`value`, or '***' when `key` names something secret (also inside nested mappings)."""
    if names_a_secret(str(key)):
        return "***"
    if isinstance(value, dict):
        return {inner: mask_if_secret(str(inner), item) for inner, item in value.items()}
    return value


@functools.lru_cache(maxsize=1024)  # field names repeat: one check per name per process
def names_a_secret(key: str) -> bool:
    """Whether a field name says its value is secret."""
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


def configure_logging(level: int = logging.INFO) -> None:
    """Send every log record to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # No record shows the caller's file and line, a thread, process or multiprocessing name:
    # don't collect them (the logging HOWTO's "Optimization"; one record per request)
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.captureWarnings(True)  # warnings become JSON lines too, never bare text on stderr
    for noisy in ("tortoise", "aiosqlite", "asyncio", "aerich"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
