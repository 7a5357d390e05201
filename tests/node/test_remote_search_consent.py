"""A remote actor's search consent (FEP-268d `indexable`) is kept as its document says it:
a real boolean, however the term is spelled; anything else is as good as unsaid (None)."""

from __future__ import annotations

from typing import Any

import pytest

from node.models import Actor
from node.services.remote_actors import save_actor
from tests.fakes.payloads import load_fixture

MASTODON_IRI = "http://joinmastodon.org/ns#indexable"


def mastodon_person(**said: Any) -> dict[str, Any]:
    """A recorded Mastodon actor (which says nothing of `indexable`), with `said` added."""
    document = load_fixture("mastodon/person_lemmy-assets.json")
    assert "indexable" not in document
    return {**document, **said}


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ({"indexable": False}, False),
        ({"indexable": True}, True),
        ({}, None),
        ({"indexable": "yes"}, None),
        ({"indexable": "false"}, None),
        ({"indexable": 0}, None),
        ({"indexable": None}, None),
        ({"toot:indexable": False}, False),
        ({MASTODON_IRI: True}, True),
        ({MASTODON_IRI: [{"@value": False}]}, False),
        ({MASTODON_IRI: {"@value": "no"}}, None),
        ({"indexable": [True, False]}, None),
    ],
)  # fmt: skip
async def test_a_remote_actors_search_consent_is_stored_as_its_document_says(
    organisation: Actor, said: dict[str, Any], kept: bool | None
) -> None:
    actor = await save_actor(mastodon_person(**said))
    assert (await Actor.get(id=actor.id)).indexable is kept


async def test_the_mastodon_documentation_and_wordpress_examples_are_read(
    organisation: Actor,
) -> None:
    # Mastodon's documented example maps the term to its IRI in its own context
    documented = load_fixture("mastodon/docs_person__indexable_flag_indexable.json")
    documented["inbox"] = f"{documented['id']}/inbox"
    assert (await save_actor(documented)).indexable is True
    assert (await save_actor(load_fixture("wordpress/person.json"))).indexable is True


async def test_a_refreshed_document_replaces_the_consent(organisation: Actor) -> None:
    uri = (await save_actor(mastodon_person(indexable=True))).uri
    await save_actor(mastodon_person(indexable=False))
    assert (await Actor.get(uri=uri)).indexable is False
    await save_actor(mastodon_person())  # it no longer says
    assert (await Actor.get(uri=uri)).indexable is None
