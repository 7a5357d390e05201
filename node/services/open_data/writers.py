"""Rows turned into the bytes of a CSV or JSON file, a chunk at a time (the caller writes each
chunk to the response as it comes: memory stays flat however long the file)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from node.services.report_csv import defused

CHUNK = 64 * 1024  # bytes gathered before they are handed on


async def csv_chunks(
    columns: Iterable[str],
    rows: AsyncIterator[dict[str, Any]] | AsyncIterator[list[Any]],
    *,
    defuse: bool = True,
) -> AsyncIterator[bytes]:
    """A CSV file (UTF-8, no byte-order mark, CRLF as RFC 4180): the header, then the rows.
    With `defuse`, text cells a spreadsheet would run as a formula get a leading apostrophe
    (the JSON files keep every text exactly)."""
    columns = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    async for row in rows:
        cells = [row.get(column, "") for column in columns] if isinstance(row, dict) else row
        writer.writerow([defused(cell) for cell in cells] if defuse else cells)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def json_chunks(
    head: dict[str, Any], rows: AsyncIterator[dict[str, Any]], key: str = "rows"
) -> AsyncIterator[bytes]:
    """A JSON object: `head`'s members, then `key`, an array written row by row."""
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # without "\n}"
    parts = [opening + f",\n {json.dumps(key)}: ["]
    size = len(parts[0])
    first = True
    async for row in rows:
        text = ("\n  " if first else ",\n  ") + json.dumps(row, ensure_ascii=False)
        first = False
        parts.append(text)
        size += len(text)
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("\n ]\n}\n")
    yield "".join(parts).encode()
