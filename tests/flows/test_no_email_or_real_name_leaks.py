"""A member's email address, and anything it says of who they are, never leaves the node: not in
an ActivityStreams document it serves or delivers, not in an export, not in its logs.

What counts as "real name" here: the account stores no name but the display name, which a
member may mark a pseudonym; what else identifies them is their email address, whose local
part is often their real name. So the test gives the members addresses whose local parts are
unmistakable surnames, and searches for the whole address and for the surname alike in every
document the flow produces: what a remote server received, every actor, collection, object and
activity the node serves, WebFinger and NodeInfo, the own-data zip (where a member's own
address belongs, in their profile files only), the consultation report's CSV files, the audit
log's CSV, and every line the node logged.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from tests.fakes import FakeRemote
from tests.fakes.actors import FakeActor
from tests.flows.test_accounts_by_email import Visitor as FormVisitor
from tests.flows.test_accounts_by_email import mail_to, node_with_mail
from tests.support.nodes import (
    RunningNode,
    execute_sql,
    fetch_value,
    get_json,
    post_outbox,
)
from tests.support.pages import PASSWORD
from tests.support.smtp import SmtpSink, smtp_sink

JANE = "jane.okonkwo-secretsurname@example.org"  # a service user writing under a pseudonym
ADA = "ada.adminsurname@example.org"  # the admin
SECRETS = (JANE, "secretsurname", ADA, "adminsurname")
TIMEOUT = 30


class Visitor(FormVisitor):
    async def get_bytes(self, path: str) -> bytes:
        """A download (a zip, a CSV), as it is sent."""
        async with self.session.get(f"{self.node.base}{path}") as answer:
            assert answer.status == 200, (path, answer.status)
            return await answer.read()


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [secret for secret in SECRETS if secret in lowered]


async def served_documents(node: RunningNode, start: list[str]) -> dict[str, str]:
    """Every ActivityStreams document the node serves from `start`, following the links to
    its own collections, pages, objects and activities (a bounded crawl)."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen or not url.startswith(node.base):
            continue
        status, document = await get_json(url)
        text = json.dumps(document)
        seen[url] = text if status in (200, 410) else ""
        if status != 200:
            continue
        for found in re.findall(r'"(' + re.escape(node.base) + r'[^"#?]*(?:\?page=[^"]*)?)"', text):
            if "/inbox" not in found and found not in seen:
                queue.append(found)
    return seen


async def test_no_email_or_real_name_appears_in_any_document_export_or_log(
    tmp_path: Path,
) -> None:
    with smtp_sink() as sink, node_with_mail(tmp_path, sink) as node:
        await execute_sql(
            node,
            f"UPDATE account SET email = '{ADA}', email_verified_at = CURRENT_TIMESTAMP "
            "WHERE actor_id = (SELECT id FROM actor WHERE handle = 'ada')",
        )
        admin, jane = Visitor(node), Visitor(node)
        try:
            async with FakeRemote(software="mastodon") as remote:
                # Given Jane, who joins with her address under a pseudonym, followed from
                # a Mastodon server as the organisation is
                await jane_joins(node, sink, admin, jane)
                bob = remote.add_actor("bob")
                for target in (node.organisation, node.actor("jane")):
                    await remote.deliver(bob, f"{node.base}/inbox", remote.follow(bob, target))
                    await remote.wait_for(
                        lambda r, t=target: r.type == "Accept" and r.json.get("actor") == t,
                        timeout=TIMEOUT,
                    )
                # When she takes part, is mailed, and the admin moderates
                start = await jane_takes_part(node, sink, jane, remote, bob)
                await admin_moderates(admin, start[-1].removeprefix(node.base))
                for kind in ("Create", "Update", "Follow", "Announce"):
                    await remote.wait_for(lambda r, k=kind: r.type == k, timeout=TIMEOUT)
                # Then nothing any server received names her address or surname
                delivered = [r for r in remote.received() if r.json]
                assert len(delivered) >= 6
                for request in delivered:
                    assert leaks(json.dumps(request.json)) == [], request.json
                # nor anything the node serves as ActivityStreams
                await nothing_served_leaks(node, start)
                # nor the exports
                await no_export_leaks(node, admin, jane)
        finally:
            await admin.close()
            await jane.close()
        # and the node's log lines never carried them either, mail sent and all
        lines = [*node.process.stdout_lines, *node.process.stderr_lines]
        assert len(lines) > 20 and any("mail" in line for line in lines)
        assert [line for line in lines if leaks(line)] == []


async def jane_joins(node: RunningNode, sink: SmtpSink, admin: Visitor, jane: Visitor) -> None:
    """The admin opens sign-up; Jane joins as "Rainbow" with her address and confirms it."""
    await admin.sign_in("ada")
    settings = {
        "signup_mode": "open",
        "language": "en",
        "poll_votes_per_server": "1",
        "time_zone": "Europe/London",
        "name": "Org org",
        "summary": "",
    }
    await admin.post("/admin/settings", settings)
    joined = {"handle": "jane", "name": "Rainbow", "email": JANE, "password": PASSWORD}
    await jane.post("/join", {**joined, "confirm": PASSWORD})
    [confirm] = await mail_to(sink, JANE)
    link = re.search(
        re.escape(node.base) + r"(/email/verify/[A-Za-z0-9_-]+)", confirm.part("plain")
    )
    assert link is not None
    await jane.post(link.group(1), {})


async def jane_takes_part(
    node: RunningNode, sink: SmtpSink, jane: Visitor, remote: FakeRemote, bob: FakeActor
) -> list[str]:
    """Jane marks her name a pseudonym, consents to search, proposes, comments, endorses,
    follows bob, gets bob's reply and asks for a new password. Where to start crawling."""
    profile = {
        "name": "Rainbow",
        "summary": "I use the services.",
        "role": "service_user",
        "is_pseudonym": "1",
    }
    await jane.post("/settings/profile", profile)
    await jane.post("/settings/privacy", {"default_visibility": "public", "indexable": "1"})
    token = node.token("jane")
    proposal = {"type": "Article", "name": "Quiet hours", "summary": "A quiet room."}
    _, created = await post_outbox(node, "jane", token, proposal)
    article = created["object"]["id"]
    note = {"type": "Note", "content": "I would come.", "inReplyTo": article}
    _, commented = await post_outbox(node, "jane", token, note)
    await post_outbox(node, "jane", token, {"type": "Like", "object": article})
    await post_outbox(node, "jane", token, {"type": "Follow", "object": bob.id})
    reply = remote.create_note(bob, "<p>Me too</p>", in_reply_to=article)
    await remote.deliver(bob, f"{node.base}/inbox", reply)
    await Visitor(node).post("/forgot-password", {"address": JANE})
    await mail_to(sink, JANE, count=2)
    return [
        node.actor("jane"),
        node.actor("ada"),
        node.organisation,
        article,
        commented["id"],
        commented["object"]["id"],
    ]


async def admin_moderates(admin: Visitor, comment_path: str) -> None:
    """The admin reports Jane's comment, hides it and shows it again (the audit log)."""
    report = f"{comment_path}/report"
    await admin.post(report, {"reason": "Testing"}, form_page=report)
    await admin.post(f"{comment_path}/hide", {"reason": "Testing"}, form_page="/")
    await admin.post(f"{comment_path}/unhide", {}, form_page="/")


async def nothing_served_leaks(node: RunningNode, start: list[str]) -> None:
    served = await served_documents(node, start)
    assert len(served) > 15, list(served)
    for url, text in served.items():
        assert leaks(text) == [], (url, text)
    for url in (
        f"{node.base}/.well-known/webfinger?resource=acct:jane@{node.host}",
        f"{node.base}/.well-known/nodeinfo",
    ):
        status, document = await get_json(url)
        assert status == 200 and leaks(json.dumps(document)) == [], document
    jane_document = served[node.actor("jane")]
    assert '"indexable": true' in jane_document and "Rainbow" in jane_document


async def no_export_leaks(node: RunningNode, admin: Visitor, jane: Visitor) -> None:
    """Her own data has her address in her profile files alone; the report's CSV files and
    the audit log's have no address at all."""
    zipped = await jane.get_bytes("/settings/account/data.zip")
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode()
            own = [JANE, "secretsurname"] if name.startswith("profile.") else []
            assert leaks(text) == own, (name, text)
    number = await fetch_value(node, "SELECT id FROM proposal")
    report = await admin.get(f"/proposals/{number}/report")
    files = set(re.findall(rf'href="(/proposals/{number}/report/[a-z0-9-]+\.csv)"', report))
    assert files, "the report offers its CSV files"
    for path in [*sorted(files), "/admin/audit.csv"]:
        text = (await admin.get_bytes(path)).decode()
        assert leaks(text) == [], (path, text)
    assert "hide" in (await admin.get_bytes("/admin/audit.csv")).decode()
