"""A use case's refusal is English for logs, the CLI and other servers, and in the page's
language where a page shows it, with its values filled in after translating (and its values
that are words translated too)."""

from __future__ import annotations

from node.i18n import N_, in_language
from node.limits import check_length
from node.models import ProposalStatus
from node.services.errors import Conflict, ServiceError
from node.services.lifecycle import check_takes


def refusal(call: object) -> ServiceError:
    try:
        call()  # type: ignore[operator]
    except ServiceError as error:
        return error
    raise AssertionError("not refused")


def test_a_refusal_is_english_as_text_and_welsh_when_translated() -> None:
    error = refusal(lambda: check_length(N_("title"), "x" * 201, 200))
    assert str(error) == "the title is longer than 200 characters"
    with in_language("cy"):
        assert error.translated() == "mae\u2019r teitl yn hwy na 200 nod"
    assert error.translated() == str(error)  # no page language: English


def test_a_status_and_a_reason_in_a_refusal_are_translated_with_it() -> None:
    error = refusal(lambda: check_takes("endorsements", ProposalStatus.CLOSED))
    assert isinstance(error, Conflict) and error.status == 409
    assert str(error) == (
        "a proposal that is closed takes no endorsements: the consultation is over"
    )
    with in_language("cy"):
        assert error.translated() == (
            "nid yw cynnig â\u2019r statws “ar gau” yn derbyn cymeradwyaethau:"
            " mae\u2019r ymgynghoriad wedi dod i ben"
        )


def test_a_value_that_looks_like_a_format_is_kept_as_it_came() -> None:
    error = ServiceError(N_("no member %(handle)s"), handle="'%(x)s 100%'")
    assert str(error) == "no member '%(x)s 100%'"
    with in_language("cy"):
        assert error.translated() == "does dim aelod '%(x)s 100%'"
