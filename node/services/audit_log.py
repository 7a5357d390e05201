"""The audit log: who did what to which item, account, server or organisation, why and when —
every action of a moderator or admin (an organisation's own admins' too, and the command line's
organisation commands, which have no account), written in the transaction of the action itself
and kept (with the moderator's handle as it was) after the moderator's account is gone.

An action on an organisation the node hosts (ORGANISATION_ACTIONS) has the organisation's handle
as its target, so its own admins read its entries alone (organisation_entries); the member it
concerns is its reason (`alice`; a role change: `alice now moderator`; a request to join
approved or declined: `alice`), a settings change the settings it left, as JSON, and an
invitation to it made or withdrawn the invitation's number."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime

from node.i18n import N_
from node.models import Account, ModerationAction
from node.services.errors import ServiceError
from node.services.report_csv import defused

PAGE_SIZE = 50
CSV_BATCH = 500
CSV_COLUMNS = ("time", "moderator", "action", "target", "reason")
COMMAND_LINE = "(command line)"  # the CSV's moderator for an action of the command line
ORGANISATION_ENTRIES = 20  # how many of its newest entries an organisation's page shows

# what can be done to an organisation the node hosts (the entry's target is its handle)
ORGANISATION_ACTIONS = frozenset(
    (
        "add_organisation", "suspend_organisation", "unsuspend_organisation",
        "add_to_organisation", "remove_from_organisation", "organisation_role",
        "organisation_profile", "organisation_settings", "approve_join_request",
        "decline_join_request", "organisation_invite", "revoke_organisation_invite",
    )
)  # fmt: skip
_ABOUT_A_MEMBER = (
    "add_to_organisation", "remove_from_organisation", "organisation_role",
    "approve_join_request", "decline_join_request",
)  # fmt: skip

# what an entry's `action` can be (web/templates/admin/audit.html says each in words)
ACTIONS = frozenset(
    (
        "hide", "unhide", "remove", "block", "unblock", "resolve_report", "suspend",
        "reinstate", "set_role", "password_reset", "approve", "approve_statement",
        "reject_statement", "limit", "restrict", "change_block", "allow_server",
        "disallow_server", "federation_mode", "authorized_fetch",
    )
) | ORGANISATION_ACTIONS  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    """One action, as the log shows it."""

    at: datetime
    moderator: str  # their handle; '' for the command line
    action: str
    target: str
    reason: str
    member: str = ""  # the member an action on an organisation concerns (its reason)
    role: str = ""  # …and the role it gave them


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    number: int
    has_next: bool


async def record(by_account_id: int | None, action: str, target: str, reason: str = "") -> None:
    """Log `action` by the account `by_account_id` (None: the command line) on `target` (an
    id, handle or domain)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    handle = ""
    if by_account_id is not None:
        handle = (await Account.get(id=by_account_id).prefetch_related("actor")).actor.handle
    await ModerationAction.create(
        moderator_id=by_account_id,
        moderator_handle=handle,
        action=action,
        target=target[:2048],
        reason=reason.strip()[:2000],
    )


def parse_page(value: str) -> int:
    """A page number from the query string (1 when absent)."""
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise ServiceError(N_("the page must be a whole number from 1"))
    return int(value)


def _entry(row: ModerationAction) -> AuditEntry:
    entry = AuditEntry(row.created_at, row.moderator_handle, row.action, row.target, row.reason)
    if row.action in _ABOUT_A_MEMBER:
        member, _, role = row.reason.partition(" now ")
        return replace(entry, reason="", member=member, role=role)
    return entry


async def audit_page(number: int) -> AuditPage:
    """The newest actions first, PAGE_SIZE a page."""
    rows = (
        await ModerationAction.all()
        .order_by("-created_at", "-id")
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    return AuditPage([_entry(row) for row in rows[:PAGE_SIZE]], number, len(rows) > PAGE_SIZE)


async def organisation_entries(handle: str) -> list[AuditEntry]:
    """The newest ORGANISATION_ENTRIES actions on the organisation `handle`, newest first."""
    rows = (
        await ModerationAction.filter(action__in=ORGANISATION_ACTIONS, target=handle)
        .order_by("-created_at", "-id")
        .limit(ORGANISATION_ENTRIES)
    )
    return [_entry(row) for row in rows]


async def audit_csv() -> AsyncIterator[bytes]:
    """The whole log as CSV, oldest first, read a batch at a time (constant memory)."""
    yield _csv_line(CSV_COLUMNS)
    last_id = 0
    while True:
        rows = await ModerationAction.filter(id__gt=last_id).order_by("id").limit(CSV_BATCH)
        for row in rows:
            by = row.moderator_handle or COMMAND_LINE
            yield _csv_line((row.created_at.isoformat(), by, row.action, row.target, row.reason))
        if len(rows) < CSV_BATCH:
            return
        last_id = rows[-1].id


def _csv_line(values: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([defused(value) for value in values])
    return buffer.getvalue().encode("utf-8")
