"""Local actors' signing keys, each loaded from PEM once per process (loading costs ~40 ms)."""

from __future__ import annotations

import asyncio

from federation.keys import load_private_key
from federation.signatures import SigningKey
from node.models import Actor, ActorKey


class KeyRing:
    """A cache of the signing keys of local actors, keyed by actor id."""

    def __init__(self) -> None:
        self._keys: dict[str, SigningKey] = {}
        self._lock = asyncio.Lock()

    async def signing_key(self, actor: Actor) -> SigningKey:
        """The key that signs requests made for `actor` (a local actor)."""
        cached = self._keys.get(actor.uri)
        if cached is not None:
            return cached
        async with self._lock:
            if actor.uri not in self._keys:
                row = await ActorKey.get(actor_id=actor.id)
                private_key = await asyncio.to_thread(load_private_key, row.private_key_pem)
                self._keys[actor.uri] = SigningKey(key_id=actor.key_id, private_key=private_key)
        return self._keys[actor.uri]

    def forget(self, actor_uri: str) -> None:
        """Drop a cached key (after a key rotation or an actor's deletion)."""
        self._keys.pop(actor_uri, None)
