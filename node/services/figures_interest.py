"""Which remote proposals people are looking at, kept in this process's memory only.

A page view must not write to the database, yet a remote proposal's figures should be fresh
while people read it: the page notes its interest here, and the refresh worker
(node/workers/remote_figures.py) reads and clears the notes. Bounded: past MAX_NOTED proposals
new notes are dropped until the worker takes them.
"""

from __future__ import annotations

MAX_NOTED = 10_000

_noted: set[int] = set()


def note_looked_at(proposal_id: int) -> None:
    """Someone looked at remote proposal `proposal_id`'s page."""
    if len(_noted) < MAX_NOTED:
        _noted.add(proposal_id)


def take_looked_at() -> set[int]:
    """The proposals looked at since the last call (and forget them)."""
    taken = set(_noted)
    _noted.clear()
    return taken
