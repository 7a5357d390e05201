"""The server policy pages: blocks with severities and flags, a Mastodon block list imported
and exported, the federation mode and its allow-list; each action in the audit log."""

from __future__ import annotations

from pathlib import Path

from aiohttp import FormData
from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Actor,
    AllowedServer,
    Block,
    BlockSeverity,
    FollowState,
    ModerationAction,
)
from node.services.moderation import BlockTarget, add_block, block_policy
from node.services.settings import FederationMode, site_settings
from tests.node.test_delivery_queue import follow, remote_actor
from tests.node.test_server_policy import remote_proposal
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

FIXTURE = Path(__file__).parents[1] / "fixtures" / "blocklists" / "mastodon-domain_blocks.csv"


async def upload(client: TestClient, data: bytes, name: str = "blocks.csv") -> tuple[int, str]:
    form = FormData()
    form.add_field("csrf_token", csrf_in(await page(client, "/admin/blocks")))
    form.add_field("file", data, filename=name, content_type="text/csv")
    response = await client.post("/admin/blocks/import", data=form, allow_redirects=False)
    return response.status, await response.text()


async def test_a_moderator_limits_a_server_and_changes_the_block_later(client: TestClient) -> None:
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    fields = {"target": "noisy.example", "severity": "limit", "reject_media": "1", "reason": "spam",
              "public_comment": "Spam", "reject_reports": "", "obfuscate": ""}  # fmt: skip
    bad = await submit(client, "/admin/blocks", {**fields, "severity": "ban"})
    html = await bad.text()
    assert bad.status == 400 and "not one of suspend, limit or noop" in html
    assert 'value="noisy.example"' in html and not await Block.exists()  # input kept

    done = await submit(client, "/admin/blocks", fields)
    assert done.status == 303
    block = await Block.get(target="noisy.example")
    assert (block.severity, block.reject_media, block.public_comment) == (
        BlockSeverity.LIMIT,
        True,
        "Spam",
    )
    listed = await page(client, "/admin/blocks")
    assert "Limited" in listed and "media refused" in listed

    edit = f"/admin/blocks/{block.id}"
    assert 'value="limit" selected' in await page(client, edit)
    changed = await submit(client, edit, {**fields, "severity": "suspend", "reject_media": ""})
    assert changed.status == 303
    await block.refresh_from_db()
    assert (block.severity, block.reject_media) == (BlockSeverity.SUSPEND, False)
    actions = await ModerationAction.all().order_by("id").values_list("action", flat=True)
    assert actions == ["limit", "change_block"]
    await page(client, "/admin/blocks/99999", status=404)


async def test_an_admin_imports_a_mastodon_list_and_is_told_of_its_broken_rows(
    client: TestClient,
) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    text = FIXTURE.read_bytes() + b"no domain here,suspend,false,false,,false\n"
    status, html = await upload(client, text)
    assert status == 200, html
    assert "Blocked anew: 5. Changed: 0. Rows left out: 1." in html
    assert "Line 7: &#39;no domain here&#39; is not a server" in html
    assert await Block.all().count() == 5
    assert await ModerationAction.all().count() == 5

    status, html = await upload(client, b"\xff\xfe\x00")
    assert status == 400 and "not UTF-8" in html
    none = await client.post(
        "/admin/blocks/import",
        data={"csrf_token": csrf_in(await page(client, "/admin/blocks"))},
        allow_redirects=False,
    )
    assert none.status == 400 and "Choose a CSV file" in await none.text()
    assert await Block.all().count() == 5

    exported = await client.get("/admin/blocks.csv")
    assert exported.status == 200 and exported.content_type == "text/csv"
    lines = FIXTURE.read_text().splitlines()
    assert (await exported.text()).splitlines() == [lines[0], *sorted(lines[1:])]


async def test_only_admins_import_and_export_block_lists_and_set_the_federation_mode(
    client: TestClient,
) -> None:
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    for path in ("/admin/blocks.csv", "/admin/federation"):
        await page(client, path, status=403)
    status, _html = await upload(client, FIXTURE.read_bytes())
    assert status == 403 and not await Block.exists()
    refused = await submit(
        client, "/admin/federation", {"federation_mode": "allow_list"}, token_from="/admin/blocks"
    )
    assert refused.status == 403
    assert (await site_settings()).federation_mode is FederationMode.BLOCK_LIST


async def test_an_admin_federates_with_listed_servers_only(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    bad = await submit(client, "/admin/federation/allowed", {"host": "no such", "note": "x"},
                       token_from="/admin/federation")  # fmt: skip
    assert bad.status == 400 and 'value="no such"' in await bad.text()
    added = await submit(client, "/admin/federation/allowed",
                         {"host": "partner.example", "note": "our partner"},
                         token_from="/admin/federation")  # fmt: skip
    assert added.status == 303
    assert "partner.example" in await page(client, "/admin/federation")
    wrong = await submit(client, "/admin/federation", {"federation_mode": "everyone"})
    assert wrong.status == 400 and "unknown federation mode" in await wrong.text()
    wrong = await submit(client, "/admin/federation", {"authorized_fetch": "maybe"})
    assert wrong.status == 400 and "on or off" in await wrong.text()
    switched = await submit(
        client, "/admin/federation", {"federation_mode": "allow_list", "authorized_fetch": "on"}
    )
    assert switched.status == 303
    settings = await site_settings()
    assert settings.federation_mode is FederationMode.ALLOW_LIST and settings.authorized_fetch
    assert 'value="on" selected' in await page(client, "/admin/federation")
    row = await AllowedServer.get(host="partner.example")
    await submit(client, f"/admin/federation/allowed/{row.id}/remove", {},
                 token_from="/admin/federation")  # fmt: skip
    assert not await AllowedServer.exists()
    actions = await ModerationAction.all().order_by("id").values_list("action", flat=True)
    assert actions == ["allow_server", "federation_mode", "authorized_fetch", "disallow_server"]
    audit = await page(client, "/admin/audit")
    assert "added to the allow-list" in audit and "set the federation mode to" in audit


async def test_everyone_reads_which_servers_are_moderated_some_half_named(
    client: TestClient,
) -> None:
    assert "No server is moderated." in await page(client, "/about/servers")
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    for target, severity, extra in (
        ("trolls.example", "suspend", {"public_comment": "Harassment"}),
        ("noisy.example", "limit", {"obfuscate": "1"}),
        ("harmless.example", "noop", {}),
    ):
        await submit(client, "/admin/blocks", {"target": target, "severity": severity, **extra})
    await submit(client, "/sign-out", {}, token_from="/")
    shown = await page(client, "/about/servers")
    assert "<code>trolls.example</code>" in shown and "Harassment" in shown
    assert "<code>nois*.****ple</code>" in shown and "noisy.example" not in shown
    assert "harmless.example" not in shown  # a block that limits nothing is not listed


async def test_a_limited_servers_proposal_is_off_the_lists_but_for_its_authors_followers(
    client: TestClient,
) -> None:
    # Given another server's open proposal, and a member who follows its author
    author = await remote_actor("loud", "noisy.example")
    await remote_proposal(author, "1")
    fan = await member("fan")
    await follow(await Actor.get(id=fan.actor_id), author, FollowState.ACCEPTED)
    moderator = await member("mod", AccessRole.MODERATOR)
    assert "Quiet parks 1" in await page(client, "/proposals")
    # When the server is limited
    await add_block(
        BlockTarget("domain", "noisy.example"), "", by_account_id=moderator.id,
        policy=block_policy("limit"),
    )  # fmt: skip
    # Then visitors find it neither on the home page nor in the list
    for path in ("/", "/proposals"):
        assert "Quiet parks 1" not in await page(client, path)
    # while the member following its author still does
    await sign_in_as(client, "fan")
    for path in ("/", "/proposals"):
        assert "Quiet parks 1" in await page(client, path)
