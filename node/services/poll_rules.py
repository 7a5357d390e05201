"""What a consultation question may be: its options, its kind, when it closes, when its results
show. The one home of these rules: the client API and the web form both submit a `Question`
that `poll_rules` reads (node/services/polls.py creates it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from node.i18n import N_
from node.models import ResultsShown
from node.poll_documents import iso
from node.sanitize import plain_text
from node.services.errors import ServiceError
from node.timestamps import parse_time

MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_OPTION_NAME = 200
MAX_QUESTION = 5000
MAX_DURATION = timedelta(days=366)
RULE_FIELDS = frozenset({"oneOf", "anyOf", "endTime", "closed", "votersCount", "resultsShown"})

# The Townhall extension `resultsShown` (a Question's term), and the rule each value names.
RESULTS_SHOWN = {"afterClose": ResultsShown.AFTER_CLOSE, "afterAnswer": ResultsShown.AFTER_ANSWER}
RESULTS_SHOWN_TERM = {rule: term for term, rule in RESULTS_SHOWN.items()}


class PollRuleError(ServiceError):
    """A question refused, naming the part of it that is wrong (for a form to point at)."""

    def __init__(self, field: str, message: str, /, **values: object) -> None:
        super().__init__(message, **values)
        self.field = field  # question, options, closes_at or results


@dataclass(frozen=True)
class PollRules:
    """What an author asked for: the options, single or multiple choice, the closing time,
    whether it closes with its proposal and when its results show."""

    multiple: bool
    options: list[str]
    end_time: datetime | None
    closes_with_proposal: bool = False
    results_shown: ResultsShown = ResultsShown.AFTER_CLOSE


def now() -> datetime:
    return datetime.now(UTC)


def poll_rules(
    submitted: dict[str, Any],
    proposal_closes_at: datetime | None = None,
    *,
    on_proposal: bool = False,
) -> PollRules:
    """The rules of a submitted Question, or a PollRuleError saying what is wrong.

    Put to a proposal (`on_proposal`), a question without its own `endTime` closes with the
    proposal (at `proposal_closes_at`, and when it is closed by hand); one with its own time must
    close before the proposal does.
    """
    if ("oneOf" in submitted) == ("anyOf" in submitted):
        raise PollRuleError(
            "options", N_("a poll lists its options in oneOf (single choice) or anyOf (multiple)")
        )
    multiple = "anyOf" in submitted
    options = _option_names(submitted["anyOf" if multiple else "oneOf"])
    results_shown = _results_shown(submitted.get("resultsShown"))
    if not submitted.get("endTime"):
        end = proposal_closes_at if proposal_closes_at and proposal_closes_at > now() else None
        return PollRules(multiple, options, end, on_proposal, results_shown)
    end_time = parse_end_time(submitted["endTime"])
    if proposal_closes_at is not None and end_time > proposal_closes_at:
        raise PollRuleError(
            "closes_at",
            N_(
                "endTime %(end_time)s is after the proposal closes (%(closes_at)s): a "
                "question closes with its proposal or before it"
            ),
            end_time=iso(end_time),
            closes_at=iso(proposal_closes_at),
        )
    return PollRules(multiple, options, end_time, False, results_shown)


def _option_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else []
    names = [
        plain_text(str(item.get("name", ""))).strip() for item in items if isinstance(item, dict)
    ]
    if not MIN_OPTIONS <= len(names) <= MAX_OPTIONS:
        raise PollRuleError(
            "options",
            N_("a poll needs %(min_options)s to %(max_options)s options, not %(count)s"),
            min_options=MIN_OPTIONS,
            max_options=MAX_OPTIONS,
            count=len(names),
        )
    for name in names:
        if not name:
            raise PollRuleError("options", N_("every option needs a name"))
        if len(name) > MAX_OPTION_NAME:
            raise PollRuleError(
                "options",
                N_("the option %(name)s… is longer than %(max_option_name)s characters"),
                name=repr(name[:40]),
                max_option_name=MAX_OPTION_NAME,
            )
    if len({name.casefold() for name in names}) != len(names):
        raise PollRuleError("options", N_("the options must be distinct"))
    return names


def _results_shown(value: Any) -> ResultsShown:
    if value is None:
        return ResultsShown.AFTER_CLOSE
    if isinstance(value, str) and value in RESULTS_SHOWN:
        return RESULTS_SHOWN[value]
    raise PollRuleError(
        "results",
        N_("resultsShown %(value)s is not one of %(values)s"),
        value=repr(value),
        values=", ".join(sorted(RESULTS_SHOWN)),
    )


def parse_end_time(value: Any) -> datetime:
    """A poll's closing time: ISO 8601, in the future, within a year."""
    moment = parse_time(value)
    if moment is None:
        raise PollRuleError(
            "closes_at", N_("endTime %(value)s is not an ISO 8601 date and time"), value=repr(value)
        )
    if moment <= now():
        raise PollRuleError(
            "closes_at", N_("endTime %(iso)s is not in the future"), iso=iso(moment)
        )
    if moment > now() + MAX_DURATION:
        raise PollRuleError(
            "closes_at",
            N_("endTime %(iso)s is more than %(days)s days away"),
            iso=iso(moment),
            days=MAX_DURATION.days,
        )
    return moment
