"""Responses by organisation: an organisation's own, and its members' where that is known.

A response counts for an organisation when its author is one (a Group or Organization actor),
or when the author's server is the home of exactly one organisation we know of: a Townhall
node has one, so its members speak from it (our own members included). Everyone else (a
Mastodon user, a server with several or no known organisations) is counted as not known.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from node.models import Actor
from node.services.endorsements import ORGANISATION_TYPES
from node.services.report_figures import Row

NOT_KNOWN = ""


async def organisation_rows(responses: list[dict[str, Any]]) -> tuple[Row, ...]:
    """Rows of responses per organisation, most first, the not known last (one query);
    `responses` are rows of report_counts' count per author."""
    domains = {str(row["author__domain"]) for row in responses}
    known = await _organisations_on(domains)
    by_id = {org["id"]: org for orgs in known.values() for org in orgs}
    per_organisation: Counter[int | None] = Counter()
    for row in responses:
        per_organisation[_organisation_of(row, known)] += int(row["responses"])
    ranked = sorted(
        ((org_id, count) for org_id, count in per_organisation.items() if org_id is not None),
        key=lambda item: (-item[1], _label(by_id[item[0]])),
    )
    rows = [
        Row(_address(by_id[org_id]), _label(by_id[org_id]), (count,)) for org_id, count in ranked
    ]
    if per_organisation[None]:
        rows.append(Row(NOT_KNOWN, NOT_KNOWN, (per_organisation[None],)))
    return tuple(rows)


def _organisation_of(row: dict[str, Any], known: dict[str, list[dict[str, Any]]]) -> int | None:
    on_server = known.get(str(row["author__domain"]), [])
    if str(row["author__type"]) in ORGANISATION_TYPES:
        author = int(row["author_id"])
        return author if any(org["id"] == author for org in on_server) else None
    return int(on_server[0]["id"]) if len(on_server) == 1 else None


def _label(organisation: dict[str, Any]) -> str:
    return str(organisation["name"] or _address(organisation))


def _address(organisation: dict[str, Any]) -> str:
    return f"{organisation['handle']}@{organisation['domain']}"


async def _organisations_on(domains: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The organisation actors (Group, Organization) known on each of `domains`."""
    if not domains:
        return {}
    rows = await Actor.filter(
        domain__in=list(domains), type__in=list(ORGANISATION_TYPES), deleted_at=None
    ).values("id", "domain", "name", "handle")
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(str(row["domain"]), []).append(row)
    return found
