"""What a notification mail says: a line per thread (or reported post) counting what is new in
it, each kind's title and words, in the member's language (the caller sets it). The mail and
digests are built and queued by node/services/notification_mail.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from node.i18n import gettext_ as _
from node.i18n import ngettext_ as ngettext
from node.models import Proposal
from node.sanitize import plain_text
from node.services.notification_preferences import BY_NAME
from node.services.notifications import Notification


@dataclass(frozen=True)
class Line:
    """One line of a mail: its words, where it links, how many things it counts."""

    text: str
    url: str
    count: int


def lines_of(
    items: list[Notification], titles: dict[str, tuple[str, str]], base_url: str
) -> list[Line]:
    """One line per thread (or per reported post), counting what is new in it."""
    groups: dict[str, list[Notification]] = {}
    for item in items:  # newest first: a group keeps its newest item's place
        groups.setdefault(item.object.context_uri or item.object.uri, []).append(item)
    lines = []
    for key, group in groups.items():
        first = group[0]
        title, url = titles.get(key, ("", ""))
        title = title or first.object.name or _excerpt(first.object.content)
        url = url or first.object.url or first.object.uri
        if first.kind == "report":
            url = f"{base_url}/admin/reports"
        elif first.kind == "report_outcome":  # the post may be gone: the page says what
            url = f"{base_url}/notifications"
        lines.append(Line(_line_text(first, len(group), title), url, len(group)))
    return lines


def kind_title(kind: str) -> str:
    """What a kind of notification is called in mail and on the settings page."""
    return {
        "reply": _("Replies to you"),
        "mention": _("Mentions of you"),
        "amendment": _("Amendments to your proposals"),
        "new_version": _("New versions of proposals you endorsed"),
        "closing": _("Consultations closing soon"),
        "decision": _("Decisions on consultations you took part in"),
        "report_outcome": _("What became of your reports"),
        "join_answer": _("Answers to your requests to join an organisation"),
        "report": _("New reports (moderators)"),
    }[BY_NAME[kind].name]


def _line_text(item: Notification, count: int, title: str) -> str:
    values = {"num": count, "title": title}
    if item.kind == "reply":
        return (
            ngettext("%(title)s: %(num)d new reply", "%(title)s: %(num)d new replies", count)
            % values
        )
    if item.kind in ("mention", "organisation_mention"):
        return (
            ngettext("%(title)s: %(num)d new mention", "%(title)s: %(num)d new mentions", count)
            % values
        )
    if item.kind == "amendment":
        return (
            ngettext(
                "%(title)s: %(num)d amendment suggested",
                "%(title)s: %(num)d amendments suggested",
                count,
            )
            % values
        )
    if item.kind == "answer" and count == 1:
        if item.detail == "accepted":
            return _("%(title)s: your amendment was accepted") % values
        return _("%(title)s: your amendment was declined") % values
    if item.kind == "answer":
        return (
            ngettext(
                "%(title)s: your amendment was answered",
                "%(title)s: %(num)d of your amendments were answered",
                count,
            )
            % values
        )
    if item.kind == "new_version":
        return _("%(title)s: now at version %(number)s") % {"title": title, "number": item.detail}
    if item.kind == "closing":
        if item.detail == "1":
            return _("%(title)s closes within a day, and you have not answered yet") % values
        return _("%(title)s closes within three days, and you have not answered yet") % values
    if item.kind == "decision":
        return _("%(title)s: the decision is published") % values
    if item.kind == "report_outcome":
        return _("%(outcome)s You said: “%(title)s”") % {
            "outcome": outcome_text(item.detail),
            "title": title,
        }
    if item.kind == "join_answer":
        if item.detail == "approved":
            return _("%(title)s: you are now one of its members") % values
        return _("%(title)s: your request to join was declined") % values
    return ngettext("%(num)d new report", "%(num)d new reports", count) % values


def outcome_text(outcome: str) -> str:
    """What a reporter is told became of their report (report_outcomes.Outcome)."""
    return {
        "removed": _("The moderators removed the post you reported."),
        "hidden": _("The moderators hid the post you reported."),
        "blocked": _("The moderators blocked the account you reported, or its server."),
    }.get(outcome, _("The moderators looked at your report and left things as they are."))


def _excerpt(html: str, length: int = 80) -> str:
    text = " ".join(plain_text(html).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


async def thread_titles(found: Iterable[list[Notification]]) -> dict[str, tuple[str, str]]:
    """The proposal title and address of each thread the notifications fall in (one query)."""
    contexts = {
        item.object.context_uri for items in found for item in items if item.object.context_uri
    }
    if not contexts:
        return {}
    rows = await Proposal.filter(object__context_uri__in=list(contexts)).values_list(
        "object__context_uri", "object__name", "object__url", "object__uri"
    )
    return {context: (name, url or uri) for context, name, url, uri in rows}
