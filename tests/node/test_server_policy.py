"""Server policy: what each block severity and flag does, the allow-list mode, and blocks
imported from and exported to Mastodon's CSV format."""

from __future__ import annotations

from pathlib import Path

import pytest

from federation.errors import FetchError
from node.models import (
    Actor,
    AllowedServer,
    Block,
    BlockSeverity,
    Follow,
    FollowState,
    ModerationAction,
    Object,
    Proposal,
    Report,
)
from node.services.block_csv import export_blocks, import_blocks, parse
from node.services.blocklist import current_blocks
from node.services.collections import CollectionQuery, context, replies
from node.services.errors import NotFound, ServiceError
from node.services.inbox_store import InboxStore
from node.services.limited_servers import without_limited
from node.services.members import add_member
from node.services.moderation import (
    BlockTarget,
    add_block,
    block_policy,
    change_block,
    record_remote_report,
)
from node.services.proposal_page import load_proposal_page
from node.services.proposal_search import (
    ProposalQuery,
    find_proposals,
    open_consultations,
    recently_decided,
)
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.search import Group, parse_search, search
from node.services.server_policy import allow_server, disallow_server, set_federation_mode
from node.services.visibility import NOBODY, Reader, may_see
from tests.node.conftest import URLS
from tests.node.test_blocks import NoFetches, followers_only_post, publish
from tests.node.test_delivery_queue import follow, remote_actor
from tests.node.test_inbox_store import NoActors

FIXTURE = Path(__file__).parents[1] / "fixtures" / "blocklists" / "mastodon-domain_blocks.csv"
THREAD = "https://127.0.0.1:8000/contexts/1"


async def remote_post(author: Actor, serial: str) -> Object:
    return await Object.create(
        uri=f"{author.uri}/notes/{serial}", type="Note", author=author, is_public=True,
        context_uri=THREAD, published_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip


async def audited(action: str) -> list[str]:
    return list(await ModerationAction.filter(action=action).values_list("target", flat=True))


async def test_a_limited_servers_post_is_shown_only_to_members_following_its_author(
    organisation: Actor, moderator_id: int
) -> None:
    # Given a post from a server, a member who follows its author and one who does not
    author = await remote_actor("loud", "noisy.example")
    post = await remote_post(author, "1")
    follower = await Actor.get(id=(await add_member(URLS, "fan")).actor_id)
    other = await Actor.get(id=(await add_member(URLS, "other")).actor_id)
    await follow(follower, author, FollowState.ACCEPTED)
    # When the server is limited
    await add_block(
        BlockTarget("domain", "noisy.example"), "noisy", by_account_id=moderator_id,
        policy=block_policy("limit"),
    )  # fmt: skip
    # Then the post is kept, the follow too, and only the follower and moderators see it
    await post.refresh_from_db()
    assert post.hidden_at is None
    assert await Follow.filter(follower=follower, followee=author).exists()
    assert await may_see(post, Reader(follower.id, follower.uri))
    assert await may_see(post, Reader(other.id, other.uri, is_moderator=True))
    assert not await may_see(post, Reader(other.id, other.uri))
    assert not await may_see(post, NOBODY)
    listed = without_limited(Object.filter(context_uri=THREAD), Reader(other.id, other.uri))
    assert await (await listed).count() == 0
    for_follower = without_limited(Object.filter(context_uri=THREAD), Reader(follower.id))
    assert await (await for_follower).count() == 1
    # and other servers reading the thread's context are not given it
    page = await context(THREAD, CollectionQuery(THREAD, 1))
    assert post.uri not in str(page)


async def test_a_suspension_changed_to_a_limit_shows_its_posts_again_and_back(
    organisation: Actor, moderator_id: int
) -> None:
    author = await remote_actor("b", "spam.example")
    post = await remote_post(author, "1")
    block_id = await add_block(
        BlockTarget("domain", "spam.example"), "", by_account_id=moderator_id
    )
    await post.refresh_from_db()
    assert post.hidden_at is not None
    assert (await current_blocks()).blocks_actor(author.uri)

    await change_block(block_id, block_policy("limit"), "calmer now", by_account_id=moderator_id)
    await post.refresh_from_db()
    assert post.hidden_at is None
    blocks = await current_blocks()
    assert not blocks.blocks_actor(author.uri) and blocks.limits_actor(author.uri)

    await change_block(block_id, block_policy("suspend"), "again", by_account_id=moderator_id)
    await post.refresh_from_db()
    assert post.hidden_at is not None
    assert await audited("change_block") == ["spam.example", "spam.example"]


async def test_a_noop_block_refuses_only_what_its_flags_say(
    organisation: Actor, moderator_id: int
) -> None:
    author = await remote_actor("pic", "pictures.example")
    await add_block(
        BlockTarget("domain", "pictures.example"), "", by_account_id=moderator_id,
        policy=block_policy("noop", reject_media=True),
    )  # fmt: skip
    blocks = await current_blocks()
    assert not blocks.blocks_actor(author.uri)
    assert not blocks.limits_actor(author.uri)
    assert blocks.rejects_media_of(author.uri)
    assert blocks.rejects_media_of("https://media.pictures.example/a.png")
    assert not blocks.rejects_reports_of(author.uri)
    assert not blocks.rejects_media_of("https://elsewhere.example/a.png")
    assert await audited("restrict") == ["pictures.example"]


async def test_reports_from_a_server_whose_reports_are_refused_are_dropped(
    organisation: Actor, moderator_id: int
) -> None:
    reporter = await remote_actor("nag", "naggy.example")
    kept = await remote_actor("kind", "kind.example")
    post = await Object.create(
        uri=URLS.object("1"), type="Note", author=organisation, is_local=True, is_public=True,
        published_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    await add_block(
        BlockTarget("domain", "naggy.example"), "", by_account_id=moderator_id,
        policy=block_policy("noop", reject_reports=True),
    )  # fmt: skip
    dropped = await record_remote_report(f"{reporter.uri}/flags/1", reporter.uri, [post.uri], "x")
    assert dropped == [] and not await Report.exists(flag_uri=f"{reporter.uri}/flags/1")
    # another server's report still lands in the queue
    await record_remote_report(f"{kept.uri}/flags/1", kept.uri, [post.uri], "x")
    assert await Report.filter(flag_uri=f"{kept.uri}/flags/1").count() == 1


async def test_in_allow_list_mode_only_listed_servers_and_ours_are_federated_with(
    organisation: Actor, moderator_id: int
) -> None:
    partner = await remote_actor("p", "partner.example")
    stranger = await remote_actor("s", "stranger.example")
    for each in (partner, stranger):
        await follow(each, organisation, FollowState.ACCEPTED)
    await allow_server("https://Partner.Example/", "our partner", by_account_id=moderator_id)
    # block-list mode still: the list changes nothing yet
    assert not (await current_blocks()).blocks_actor(stranger.uri)

    await set_federation_mode("allow_list", by_account_id=moderator_id)
    blocks = await current_blocks()
    assert not blocks.blocks_actor(partner.uri)
    assert not blocks.blocks_actor("https://social.partner.example/users/q")  # its subdomains
    assert not blocks.blocks_actor(organisation.uri)  # ours
    assert blocks.blocks_actor(stranger.uri)
    # the inbox refuses the stranger, deliveries go to the partner only
    store = InboxStore(NoActors(), lambda: None)  # type: ignore[arg-type]
    assert await store.is_blocked(stranger.uri)
    assert not await store.is_blocked(partner.uri)
    assert await publish(followers_only_post(organisation), organisation) == 1

    removed = await Block.all().count()  # (no block was made: the list alone decides)
    assert removed == 0
    server_id = (await partner_row()).id
    await disallow_server(server_id, by_account_id=moderator_id)
    assert (await current_blocks()).blocks_actor(partner.uri)
    await set_federation_mode("block_list", by_account_id=moderator_id)
    assert not (await current_blocks()).blocks_actor(stranger.uri)
    assert await audited("allow_server") == ["partner.example"]
    assert await audited("disallow_server") == ["partner.example"]
    assert await audited("federation_mode") == ["allow_list", "block_list"]


async def partner_row() -> AllowedServer:
    return await AllowedServer.get(host="partner.example")


async def test_an_unknown_federation_mode_or_server_is_refused(
    organisation: Actor, moderator_id: int
) -> None:
    with pytest.raises(ServiceError, match="unknown federation mode"):
        await set_federation_mode("everyone", by_account_id=moderator_id)
    with pytest.raises(ServiceError, match="not a server"):
        await allow_server("not a host", "", by_account_id=moderator_id)
    assert await ModerationAction.all().count() == 0


async def test_a_mastodon_export_is_imported_row_by_row_into_the_audit_log(
    organisation: Actor, moderator_id: int
) -> None:
    jerk = await remote_post(await remote_actor("jerk", "bumfaces.net"), "1")
    loud = await remote_post(await remote_actor("loud", "noisy.example"), "1")
    result = await import_blocks(FIXTURE.read_bytes(), by_account_id=moderator_id)
    assert result.broken == []
    # a suspended server's posts leave the pages, a limited one's stay (for its followers)
    await jerk.refresh_from_db()
    await loud.refresh_from_db()
    assert jerk.hidden_at is not None and loud.hidden_at is None
    assert sorted(result.added) == [
        "bumfaces.net", "noisy.example", "nothanks.com", "peepee.poopoo", "pictures.example",
    ]  # fmt: skip
    noisy = await Block.get(target="noisy.example")
    assert (noisy.severity, noisy.reject_media, noisy.public_comment) == (
        BlockSeverity.LIMIT,
        True,
        "spam, mostly",
    )
    pictures = await Block.get(target="pictures.example")
    assert (pictures.severity, pictures.reject_reports, pictures.obfuscate) == (
        BlockSeverity.NOOP,
        True,
        True,
    )
    assert len(await audited("block")) == 3
    assert await audited("limit") == ["noisy.example"]
    assert await audited("restrict") == ["pictures.example"]


async def test_broken_rows_are_listed_with_their_line_and_the_rest_kept(
    organisation: Actor, moderator_id: int
) -> None:
    await add_block(BlockTarget("domain", "old.example"), "mine", by_account_id=moderator_id)
    text = (
        "domain,severity,reject_media,reject_reports,public_comment,obfuscate\n"
        "good.example,suspend,FALSE,FALSE,,FALSE\n"
        "not a domain,suspend,false,false,,false\n"
        "odd.example,ban,false,false,,false\n"
        "maybe.example,silence,perhaps,false,,false\n"
        "good.example,noop,false,false,,false\n"
        "\n"
        "old.example,silence,false,false,changed,false\n"
    )
    result = await import_blocks(text.encode(), by_account_id=moderator_id)
    assert [(row.line, row.reason.split(" ")[0]) for row in result.broken] == [
        (3, "'not"), (4, "the"), (5, "reject_media"), (6, "good.example"),
    ]  # fmt: skip
    assert result.added == ["good.example"] and result.updated == ["old.example"]
    assert await Block.filter(target="old.example").count() == 1  # updated, not duplicated
    old = await Block.get(target="old.example")
    assert (old.severity, old.reason, old.public_comment) == (
        BlockSeverity.LIMIT,
        "mine",
        "changed",
    )
    assert set(await Block.all().values_list("target", flat=True)) == {
        "old.example",
        "good.example",
    }


def test_older_lists_of_one_domain_a_line_are_read() -> None:
    parsed = parse("# shared list\nspam.example\r\n\n*.trolls.example\nnot/valid\n")
    assert [(row.line, row.domain, row.policy.severity) for row in parsed.rows] == [
        (2, "spam.example", BlockSeverity.SUSPEND), (4, "trolls.example", BlockSeverity.SUSPEND),
    ]  # fmt: skip
    assert [row.line for row in parsed.broken] == [5]


async def test_a_file_that_is_not_text_changes_nothing(
    organisation: Actor, moderator_id: int
) -> None:
    with pytest.raises(ServiceError, match="UTF-8"):
        await import_blocks(b"\xff\xfe\x00b\x00a\x00d", by_account_id=moderator_id)
    result = await import_blocks(b'#domain\n"unclosed.example\n', by_account_id=moderator_id)
    assert result.added == [] and result.broken
    assert await Block.all().count() == 0 and await ModerationAction.all().count() == 0


async def test_the_export_is_mastodons_format_and_reads_back_the_same(
    organisation: Actor, moderator_id: int
) -> None:
    await import_blocks(FIXTURE.read_bytes(), by_account_id=moderator_id)
    await add_block(  # a noop block limiting nothing is left out, as Mastodon does
        BlockTarget("domain", "harmless.example"), "", by_account_id=moderator_id,
        policy=block_policy("noop"),
    )  # fmt: skip
    await add_block(BlockTarget("actor", "https://x.example/u/1"), "", by_account_id=moderator_id)
    exported = await export_blocks()
    lines = FIXTURE.read_text().splitlines()
    assert exported.splitlines() == [lines[0], *sorted(lines[1:])]


async def test_in_allow_list_mode_nothing_is_fetched_from_a_server_not_listed(
    organisation: Actor, moderator_id: int
) -> None:
    await set_federation_mode("allow_list", by_account_id=moderator_id)
    remote = RemoteActors(NoFetches(), URLS.base)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="blocked"):
        await remote.get("https://stranger.example/users/x")
    with pytest.raises(FetchError, match="blocked"):
        await RemoteLookup(remote, URLS).proxied("https://stranger.example/notes/1", NOBODY)
    assert not await Actor.filter(domain="stranger.example").exists()


async def remote_proposal(author: Actor, serial: str, status: str = "open") -> Object:
    article = await Object.create(
        uri=f"{author.uri}/articles/{serial}", type="Article", author=author, is_public=True,
        is_local=author.is_local, name=f"Quiet parks {serial}", content="<p>Fewer leaf blowers</p>",
        context_uri=f"{author.uri}/contexts/{serial}", published_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    await Proposal.create(object=article, status=status)
    return article


async def limit(domain: str, moderator_id: int) -> None:
    await add_block(
        BlockTarget("domain", domain), "", by_account_id=moderator_id, policy=block_policy("limit")
    )


async def test_a_limited_servers_proposals_are_listed_only_for_followers_and_moderators(
    organisation: Actor, moderator_id: int
) -> None:
    # Given an open and a closed proposal from a server, and a member following their author
    author = await remote_actor("loud", "noisy.example")
    await remote_proposal(author, "1")
    await remote_proposal(author, "2", status="closed")
    follower = await Actor.get(id=(await add_member(URLS, "fan")).actor_id)
    other = await Actor.get(id=(await add_member(URLS, "other")).actor_id)
    await follow(follower, author, FollowState.ACCEPTED)
    assert (await find_proposals(ProposalQuery())).total == 2
    # When the server is limited
    await limit("noisy.example", moderator_id)
    # Then visitors and other members see neither in the lists, and the totals say so
    for reader in (NOBODY, Reader(other.id, other.uri)):
        found = await find_proposals(ProposalQuery(), reader)
        assert (found.total, found.proposals) == (0, [])
        assert await open_consultations(reader=reader) == []
        assert await recently_decided(reader=reader) == []
    # while the follower and moderators still do
    for reader in (Reader(follower.id, follower.uri), Reader(other.id, is_moderator=True)):
        assert (await find_proposals(ProposalQuery(), reader)).total == 2
        assert len(await open_consultations(reader=reader)) == 1
        assert len(await recently_decided(reader=reader)) == 1


async def test_search_counts_only_the_hits_it_shows_leaving_a_limited_server_out(
    organisation: Actor, moderator_id: int
) -> None:
    # Given a proposal and a comment from a server, both about leaf blowers
    author = await remote_actor("loud", "noisy.example")
    await remote_proposal(author, "1")
    comment = await remote_post(author, "1")
    comment.content = "<p>Leaf blowers are loud</p>"
    await comment.save()
    query = parse_search("leaf blowers")
    totals = {result.group: result.total for result in await search(query)}
    assert totals[Group.PROPOSALS] == 1 and totals[Group.COMMENTS] == 1
    # When the server is limited, search finds neither and counts neither
    await limit("noisy.example", moderator_id)
    for result in await search(query):
        assert (result.total, result.hits, result.pages) == (0, (), 1)
    alone = await search(parse_search("leaf blowers", "comments"))
    assert alone[0].total == 0


async def test_a_threads_count_of_comments_leaves_out_limited_ones_it_does_not_show(
    organisation: Actor, moderator_id: int
) -> None:
    # Given our proposal with a member's comment and a comment from another server
    proposal = await remote_proposal(organisation, "ours")
    member = await Actor.get(id=(await add_member(URLS, "fan")).actor_id)
    other = await Actor.get(id=(await add_member(URLS, "other")).actor_id)
    author = await remote_actor("loud", "noisy.example")
    for writer, serial in ((member, "m"), (author, "r")):
        await Object.create(
            uri=f"{writer.uri}/notes/{serial}", type="Note", author=writer, is_public=True,
            is_local=writer.is_local, context_uri=proposal.context_uri,
            in_reply_to_uri=proposal.uri, published_at="2026-01-02T00:00:00+00:00",
        )  # fmt: skip
    await follow(member, author, FollowState.ACCEPTED)
    assert (await load_proposal_page(proposal.uri, None)).thread.size == 3
    # When the server is limited
    await limit("noisy.example", moderator_id)
    # Then the discussion counts one comment for visitors and other members
    assert (await load_proposal_page(proposal.uri, None)).thread.size == 2
    assert (await load_proposal_page(proposal.uri, other.id)).thread.size == 2
    # and two for the member following its author, and moderators
    assert (await load_proposal_page(proposal.uri, member.id)).thread.size == 3
    assert (await load_proposal_page(proposal.uri, other.id, is_moderator=True)).thread.size == 3
    # and the collections other servers read count it nowhere
    context_uri = proposal.context_uri
    assert (await context(context_uri, CollectionQuery(context_uri, None)))["totalItems"] == 2
    replies_id = f"{proposal.uri}/replies"
    served = await replies(proposal.uri, CollectionQuery(replies_id, None))
    assert served["totalItems"] == 1
