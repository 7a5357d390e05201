"""Upgrading a database made before organisations took join requests and invitations of their
own (11_organisation_joining): its invitations stay the node's, usable as before; its audit
entries about an organisation are still its page's; and members may then ask to join."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from node.models import Account, Actor, Invite, JoinRequest
from node.services import audit_log
from node.services.invites import usable_invite
from tests.support.migrations import old_database, upgraded

CODE = "an-old-invitation-code"


async def test_invitations_and_audit_entries_made_before_stay_as_they_were(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database at 10_search_both_languages with an organisation, an invitation and
    # audit entries about the organisation and about a member
    now = datetime.now(UTC)
    async with old_database(database_url, "10_search_both_languages.py", tmp_path) as old:
        await old.insert_local_actor(now)
        await old.insert("organisation", ("actor_id", "settings", "created_at"), (1, "{}", now))
        digest = hashlib.sha256(CODE.encode()).hexdigest()
        invite = (digest, "member", "for Sam", "", 1, 0, now + timedelta(days=3), None, now,
                  None)  # fmt: skip
        columns = ("digest", "access_role", "note", "email", "max_uses", "uses", "expires_at",
                   "revoked_at", "created_at", "created_by_id")  # fmt: skip
        await old.insert("invite", columns, invite)
        columns = ("moderator_handle", "action", "target", "reason", "created_at")
        await old.insert(
            "moderation_action",
            columns,
            ("", "add_organisation", "a", "", now),
            ("", "suspend", "a", "", now + timedelta(seconds=1)),
        )
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied == ["11_organisation_joining.py"]
        # Then the invitation is the node's own, usable as before
        kept = await usable_invite(CODE)
        assert (kept.note, kept.organisation_id) == ("for Sam", None)  # type: ignore[attr-defined]
        # and the organisation's page reads its own entries alone
        entries = await audit_log.organisation_entries("a")
        assert [entry.action for entry in entries] == ["add_organisation"]
        # and a member may ask to join it, once
        await Actor.create(
            uri="https://n.example/b", type="Person", is_local=True, handle="b",
            domain="n.example", inbox_uri="https://n.example/b/inbox",
        )  # fmt: skip
        account = await Account.create(actor_id=2)
        await JoinRequest.create(account=account, organisation_id=1, message="Hello")
        assert await JoinRequest.filter(organisation_id=1).count() == 1
        assert (await Invite.get(id=1)).organisation_id is None  # type: ignore[attr-defined]
