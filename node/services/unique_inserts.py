"""Inserting a row that another request may insert at the same moment (a remote object fetched
by a member while the inbox stores it, a Like delivered twice).

The insert runs in a savepoint of its own. On PostgreSQL a failed statement aborts the whole
transaction around it, so catching the IntegrityError is not enough: a caller inside a
transaction (an outbox post storing what it fetched) could run no further statement. Rolling
back to the savepoint leaves that transaction usable; on SQLite it costs nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

M = TypeVar("M", bound=Model)


async def insert_unless_taken(model: type[M], **fields: Any) -> M | None:
    """The new row, or None when one of its unique keys was taken meanwhile."""
    try:
        async with in_transaction():
            return await model.create(**fields)
    except IntegrityError:
        return None
