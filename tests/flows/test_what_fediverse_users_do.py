"""What people on Mastodon, Misskey, Pleroma and Akkoma do to a consultation, placed right.

Over real HTTP, the fake remote servers send what each software sends: Misskey's emoji
reaction is a `Like` carrying its emoji in `content` and `_misskey_reaction` (the shape of
misskey-dev/misskey's `ApRendererService.renderLike`, on the recorded Misskey Like
`misskey/like_with_misskey_reaction.json`, whose legacy `pudding` is 🍮); Pleroma's and Akkoma's
is the recorded `pleroma/emoji_react.json`, with a custom emoji named by an `Emoji` tag as Akkoma
sends it. Only a positive emoji is an endorsement; the others are shown beside a comment.
A Mastodon post that only mentions the organisation and links a proposal becomes a comment
on it, and a reply to a comment lands under that comment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeActor, FakeRemote
from tests.flows.test_recorded_payloads import publish_proposal, recorded, send
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)


def misskey_reaction(remote: FakeRemote, actor: FakeActor, target: str, emoji: str) -> Any:
    """Misskey's Like carrying an emoji, as its renderLike writes it."""
    like = remote.like(actor, target)
    like.update(content=emoji, _misskey_reaction=emoji)
    return like


def emoji_react(actor: FakeActor, target: str, emoji: str) -> dict[str, Any]:
    """Pleroma's recorded EmojiReact with another emoji; a custom one carries its Emoji tag."""
    react = recorded("pleroma/emoji_react.json", actor, target)
    react["content"] = emoji
    if emoji.startswith(":"):
        icon = {"type": "Image", "url": f"{actor.id.split('/users')[0]}/emoji/blobcat.png"}
        react["tag"] = [{"type": "Emoji", "id": icon["url"], "name": emoji, "icon": icon}]
    return react


async def endorsement_total(proposal: str) -> int:
    status, counts = await get_json(f"{proposal}/endorsements")
    assert status == 200, counts
    return int(counts["total"])


async def page(url: str) -> str:
    """The HTML page at `url`, as a browser asks for it."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, headers={"Accept": "text/html"}) as response,
    ):
        assert response.status == 200, url
        return await response.text()


async def reactions_stored(node: RunningNode, kind: str) -> int:
    return await count_rows(node, "reaction", f"kind = '{kind}'")


async def test_emoji_reactions_endorse_only_when_positive_and_others_show_beside_the_comment(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        proposal = (await publish_proposal(node))["id"]
        async with (
            FakeRemote(software="misskey") as misskey,
            FakeRemote(software="pleroma") as pleroma,
        ):
            # Given a member's comment on the proposal
            token = node.add_member("carol")
            status, created = await post_outbox(
                node,
                "carol",
                token,
                {"type": "Note", "content": "Sundays suit us", "inReplyTo": proposal},
            )
            assert status == 201, created
            comment = created["object"]["id"]
            mk, mk2, pl = misskey.add_actor("mk"), misskey.add_actor("mk2"), pleroma.add_actor("pl")
            # When Misskey users react 👍 and 👎 to the proposal, and Pleroma ❤️
            thumbs_up = misskey_reaction(misskey, mk, proposal, "👍")
            thumbs_down = misskey_reaction(misskey, mk2, proposal, "👎")
            heart = emoji_react(pl, proposal, "❤️")
            for remote, actor, activity in (
                (misskey, mk, thumbs_up),
                (misskey, mk2, thumbs_down),
                (pleroma, pl, heart),
            ):
                await send(remote, actor, node, activity)
            # …and to the comment: Misskey's legacy pudding, Akkoma's custom :blobcat:, a 👎
            pudding = misskey.like(mk, comment)
            blobcat = emoji_react(pl, comment, ":blobcat:")
            down_on_comment = misskey_reaction(misskey, mk2, comment, "👎")
            for remote, actor, activity in (
                (misskey, mk, pudding),
                (pleroma, pl, blobcat),
                (misskey, mk2, down_on_comment),
            ):
                await send(remote, actor, node, activity)
            # Then the 👍 and the ❤️ are endorsements from the public; the 👎 is not
            await eventually(
                lambda: reactions_stored(node, "React"),
                lambda stored: stored == 4,
                what="the other reactions were kept",
            )
            assert await endorsement_total(proposal) == 2
            likes = await collection_items(f"{proposal}/likes")
            assert sorted(likes) == sorted([thumbs_up["id"], heart["id"]])
            assert await reactions_stored(node, "Like") == 2
            # …and the comment's reactions are shown beside it, none counted
            html = await page(proposal)
            assert "Other reactions, not counted as endorsements:" in html
            for shown in ("🍮", ":blobcat:", "👎"):
                assert f"{shown}&nbsp;1" in html, shown
            endorsements = html.split('id="endorsements-heading"')[1].split("</section>")[0]
            assert "Endorsements (2)" in html and "👎&nbsp;1" in endorsements  # the proposal's
            assert "endorsement" not in html.split("Sundays suit us")[0].rsplit("<li", 1)[-1]

            # When each is undone (Misskey's Undo embeds the Like, Pleroma's the EmojiReact)
            for remote, actor, activity in (
                (misskey, mk, thumbs_up),
                (pleroma, pl, heart),
                (misskey, mk, pudding),
                (pleroma, pl, blobcat),
            ):
                await send(remote, actor, node, remote.undo(actor, activity))
            # Then the endorsements are withdrawn and the reactions leave the page
            await eventually(
                lambda: reactions_stored(node, "React"),
                lambda stored: stored == 2,  # the two 👎 that were not undone
                what="the undone reactions were removed",
            )
            assert await endorsement_total(proposal) == 0
            html = await page(proposal)
            assert "🍮" not in html and ":blobcat:" not in html and "👎&nbsp;1" in html
            # …and an Undo naming the reaction by its id only withdraws it too
            by_id = {**misskey.undo(mk2, down_on_comment), "object": down_on_comment["id"]}
            await send(misskey, mk2, node, by_id)
            await eventually(
                lambda: reactions_stored(node, "React"),
                lambda stored: stored == 1,
                what="the reaction undone by id was removed",
            )


async def test_a_post_mentioning_the_organisation_lands_on_the_proposal_it_links(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        article = await publish_proposal(node)
        proposal, context = article["id"], article["context"]
        async with FakeRemote(software="mastodon") as mastodon:
            ann, bob = mastodon.add_actor("ann"), mastodon.add_actor("bob")
            mention = (node.organisation, f"@testorg@{node.host}")
            # Given a new post (no inReplyTo) that mentions the organisation and links the
            # proposal, as Mastodon writes it
            post = mastodon.create_note(
                ann,
                f'<p><span class="h-card"><a href="{node.organisation}" class="u-url mention">'
                f"@<span>testorg</span></a></span> Sundays please "
                f'<a href="{proposal}" rel="nofollow noopener" target="_blank">{proposal}</a></p>',
                mentions=[mention],
            )
            assert post["object"]["inReplyTo"] is None
            comment = post["object"]["id"]
            await send(mastodon, ann, node, post)
            # Then it is a comment on that proposal, in its thread
            await eventually(
                lambda: collection_items(f"{proposal}/replies"),
                lambda items: items == [comment],
                what="the mention became a comment on the proposal",
            )
            assert comment in await collection_items(context)
            # When someone replies to that comment
            answer = mastodon.create_note(bob, "<p>Agreed</p>", in_reply_to=comment)
            await send(mastodon, bob, node, answer)
            # Then the reply lands under the comment, in the same thread
            await eventually(
                lambda: collection_items(context),
                lambda items: answer["object"]["id"] in items,
                what="the reply joined the thread",
            )
            under = f"uri = '{answer['object']['id']}' AND in_reply_to_uri = '{comment}'"
            assert await count_rows(node, "object", under) == 1
            html = await page(proposal)
            nested = html.split("Sundays please", 1)[1].split("</li>", 1)[0]
            assert "Agreed" in nested  # inside the comment's list item

            # When a post mentions the organisation and links nothing of ours
            aside = mastodon.create_note(
                ann, "<p>@testorg when is the next meeting?</p>", mentions=[mention]
            )
            await send(mastodon, ann, node, aside)
            # Then it is kept, but is no comment on the proposal
            await eventually(
                lambda: count_rows(node, "object", f"uri = '{aside['object']['id']}'"),
                lambda found: found == 1,
                what="the mention was stored",
            )
            assert await collection_items(f"{proposal}/replies") == [comment]
            # …and a boost of the proposal is a share, counted apart from endorsements
            boost = mastodon.announce(bob, proposal, object_author=article["attributedTo"])
            await send(mastodon, bob, node, boost)
            await eventually(
                lambda: collection_items(f"{proposal}/shares"),
                lambda items: items == [boost["id"]],
                what="the boost was counted as a share",
            )
            assert await endorsement_total(proposal) == 0
