"""Hand-written SQL for the hot paths, where building a query with the ORM costs more than
running it (tortoise builds every query anew: about half a millisecond of Python each).

Templates number their parameters `{p1}`, `{p2}`…: SQLite's `?NNN` and PostgreSQL's `$N` both
bind a numbered parameter from one list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

MAX_PARAMETERS = 9


def is_postgres(connection: BaseDBAsyncClient) -> bool:
    """Whether the connection speaks to PostgreSQL (else SQLite)."""
    return connection.schema_generator.DIALECT == "postgres"


def numbered(template: str, postgres: bool) -> str:
    """The template with `{pN}` replaced by the dialect's numbered placeholder."""
    marker = "$" if postgres else "?"
    return template.format(**{f"p{n}": f"{marker}{n}" for n in range(1, MAX_PARAMETERS + 1)})


async def select(template: str, parameters: Sequence[object]) -> list[dict[str, Any]]:
    """Run a query template on the default connection; its rows as dicts."""
    connection = connections.get("default")
    return await connection.execute_query_dict(
        numbered(template, is_postgres(connection)), list(parameters)
    )


def parameter_list(first: int, count: int, postgres: bool) -> str:
    """`count` numbered placeholders from `first` on, comma-separated (for an IN list)."""
    marker = "$" if postgres else "?"
    return ", ".join(f"{marker}{n}" for n in range(first, first + count))


def insert_sql(
    table: str, columns: Sequence[str], count: int, postgres: bool, *, tail: str = ""
) -> str:
    """A multi-row INSERT of `count` rows of `columns`, their values in one flat list, then
    `tail` (an ON CONFLICT or RETURNING clause). Names are the caller's constants, never input."""
    width = len(columns)
    groups = (f"({parameter_list(row * width + 1, width, postgres)})" for row in range(count))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(groups)} {tail}"  # noqa: S608 - the caller's constant names
