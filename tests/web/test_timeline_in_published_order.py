"""A member's timeline page lists what they follow by when it was published: a post that
arrives late (backfilled, or delivered after a retry) takes its place, not the top."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from federation.vocab import PUBLIC
from node.models import Actor, ActorType
from node.services import follows, remote_objects
from tests.support.pages import member, page, sign_in_as
from tests.web.test_timeline import _remote


def note(number: int, day: int, author: Actor) -> dict[str, object]:
    return {
        "id": f"https://social.example/statuses/{number}",
        "type": "Note",
        "content": f"<p>Post number {number}</p>",
        "attributedTo": author.uri,
        "to": [PUBLIC],
        "published": f"2024-05-{day:02d}T10:00:00Z",
    }


async def test_a_backfilled_post_takes_its_place_on_the_timeline_by_its_date(
    client: TestClient,
) -> None:
    # Given alice follows bea, a Mastodon user
    await member("alice")
    bea = await _remote(ActorType.PERSON, "https://social.example/users/bea")
    await follows.record_follow(
        "https://example.test/follows/1", await Actor.get(handle="alice"), bea, accepted=True
    )
    # When bea's posts arrive out of order: the 3rd, the 1st (backfilled), then the 2nd
    for number, day in ((3, 20), (1, 1), (2, 10)):
        await remote_objects.store_object(note(number, day, bea), bea)
    # Then the timeline shows them newest published first
    await sign_in_as(client, "alice")
    html = await page(client, "/timeline")
    assert re.findall(r"Post number (\d)", html) == ["3", "2", "1"]


async def test_older_pages_follow_the_published_order(client: TestClient) -> None:
    await member("alice")
    bea = await _remote(ActorType.PERSON, "https://social.example/users/bea")
    await follows.record_follow(
        "https://example.test/follows/1", await Actor.get(handle="alice"), bea, accepted=True
    )
    # 35 posts stored newest first (arrival order is the reverse of publication order)
    for number in range(35, 0, -1):
        await remote_objects.store_object(note(number, 1 + number % 28, bea), bea)
    await sign_in_as(client, "alice")
    first = await page(client, "/timeline")
    older = re.search(r'href="(/timeline\?before=\d+)"', first)
    assert older, "the first page links to older posts"
    second = await page(client, older.group(1).replace("&amp;", "&"))
    shown = [*re.findall(r"Post number (\d+)", first), *re.findall(r"Post number (\d+)", second)]
    expected = sorted(range(1, 36), key=lambda n: (1 + n % 28, n), reverse=True)
    assert len(shown) == 35 and len(set(shown)) == 35
    days = [1 + int(n) % 28 for n in shown]
    assert days == sorted(days, reverse=True)
    assert set(map(int, shown)) == set(expected)
