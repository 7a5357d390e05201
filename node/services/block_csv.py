"""Domain blocks in Mastodon's CSV format, imported and exported.

Mastodon (Admin → Federation → Export) writes the header
`#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`, severities
`suspend`, `silence` (our limit) and `noop`, and booleans `true`/`false`; lists shared between
servers also come without the `#`s, with booleans in capitals, or as older header-less files of
one domain per line (each suspended). An import keeps the rows it can read, updates blocks that
exist rather than duplicating them, lists each broken row with its line and why, and changes
nothing else; the export writes Mastodon's header and spelling, so it reads back the same.
Cells are written as they are (not defused for spreadsheets): the file is for other servers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import Block, BlockSeverity
from node.services.blocklist import forget_cached_blocks, server_host
from node.services.errors import ServiceError
from node.services.moderation import BlockPolicy, BlockTarget, block_policy, import_block

COLUMNS = ("domain", "severity", "reject_media", "reject_reports", "public_comment", "obfuscate")
HEADER = tuple(f"#{name}" for name in COLUMNS)
MAX_BYTES = 1_000_000  # the node takes no request body larger (node/app.py)
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 100
EXPORTED_SEVERITY = {  # our severity as Mastodon spells it
    BlockSeverity.SUSPEND: "suspend",
    BlockSeverity.LIMIT: "silence",
    BlockSeverity.NOOP: "noop",
}
IMPORTED_REASON = "imported from a block list"


@dataclass(frozen=True)
class BrokenRow:
    line: int
    reason: str


@dataclass(frozen=True)
class ImportedRow:
    line: int
    domain: str
    policy: BlockPolicy


@dataclass(frozen=True)
class ParsedList:
    rows: list[ImportedRow] = field(default_factory=list)
    broken: list[BrokenRow] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the domains blocked anew, those whose block changed, the rows left."""

    added: list[str]
    updated: list[str]
    broken: list[BrokenRow]


def decoded(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark); ServiceError otherwise."""
    if len(data) > MAX_BYTES:
        raise ServiceError(N_("the file is larger than %(value)s MB"), value=MAX_BYTES // 1_000_000)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(N_("the file is not UTF-8 text: export it again as CSV")) from None
    if "\x00" in text:
        raise ServiceError(N_("the file holds a NUL character: it is not a CSV file"))
    return text


def _flag(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in ("", "false"):
        return False
    if word == "true":
        return True
    raise ServiceError(
        N_("%(name)s must be true or false, not %(value)s"),
        name=name,
        value=repr(value.strip()[:20]),
    )


def _header(cells: list[str]) -> dict[str, int] | None:
    """Where each column is, when the first row is a header (with or without `#`s)."""
    names = [cell.strip().lower().removeprefix("#") for cell in cells]
    if not names or names[0] != "domain":
        return None
    return {name: index for index, name in enumerate(names) if name in COLUMNS}


def parse(text: str) -> ParsedList:
    """The rows a block list file holds, and the broken ones with their line numbers."""
    rows: list[ImportedRow] = []
    broken: list[BrokenRow] = []
    seen: dict[str, int] = {}
    lines = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] | None = None
    try:
        for number, cells in enumerate(lines, start=1):
            if number > MAX_ROWS:
                broken.append(BrokenRow(number, f"only the first {MAX_ROWS} lines are read"))
                break
            if number == 1 and (columns := _header(cells)) is not None:
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None and cells[0].lstrip().startswith("#"):
                continue  # a comment in a header-less list
            try:
                row = _row(number, cells, columns)
            except ServiceError as error:
                broken.append(BrokenRow(number, str(error)))
                continue
            if row.domain in seen:
                reason = f"{row.domain} is already on line {seen[row.domain]}"
                broken.append(BrokenRow(number, reason))
                continue
            seen[row.domain] = number
            rows.append(row)
    except csv.Error as error:  # an unclosed quote: nothing after it can be read
        broken.append(BrokenRow(lines.line_num, f"the file cannot be read from here: {error}"))
    return ParsedList(rows, broken)


def _row(number: int, cells: list[str], columns: dict[str, int] | None) -> ImportedRow:
    def cell(name: str) -> str:
        if columns is None:
            return cells[0] if name == "domain" else ""
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    if columns is None and len(cells) > 1:
        raise ServiceError(N_("a list without a header has one domain a line"))
    domain = server_host(cell("domain"))
    policy = block_policy(
        cell("severity") or "suspend",
        reject_media=_flag(cell("reject_media"), "reject_media"),
        reject_reports=_flag(cell("reject_reports"), "reject_reports"),
        public_comment=cell("public_comment"),
        obfuscate=_flag(cell("obfuscate"), "obfuscate"),
    )
    return ImportedRow(number, domain, policy)


async def import_blocks(data: bytes, *, by_account_id: int) -> ImportResult:
    """Block (or re-block) every readable row's domain, in one transaction, each in the audit
    log; the broken rows are returned, not applied."""
    parsed = parse(decoded(data))
    added: list[str] = []
    updated: list[str] = []
    async with in_transaction():
        for row in parsed.rows:
            target = BlockTarget("domain", row.domain)
            new = await import_block(
                target, row.policy, IMPORTED_REASON, by_account_id=by_account_id
            )
            (added if new else updated).append(row.domain)
    forget_cached_blocks()
    return ImportResult(added, updated, parsed.broken)


async def export_blocks() -> str:
    """Every domain block that limits anything, in Mastodon's CSV format (its
    app/controllers/admin/export_domain_blocks_controller.rb: the same header, filename,
    severities, booleans and rows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for block in await Block.filter(kind="domain").order_by("target"):
        if not _limits(block):
            continue
        writer.writerow(
            (
                block.target,
                EXPORTED_SEVERITY[BlockSeverity(block.severity)],
                _word(block.reject_media),
                _word(block.reject_reports),
                block.public_comment,
                _word(block.obfuscate),
            )
        )
    return out.getvalue()


def _limits(block: Block) -> bool:
    """Whether the block does anything (Mastodon's `with_limitations`: a noop block that
    refuses neither media nor reports is left out of its export)."""
    return block.severity != BlockSeverity.NOOP or block.reject_media or block.reject_reports


def _word(flag: bool) -> str:
    return "true" if flag else "false"
