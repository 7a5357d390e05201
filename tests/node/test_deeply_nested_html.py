"""HTML nested deeper than any real post is kept as its text, at once, never parsed for a minute."""

from __future__ import annotations

import time

from node.sanitize import plain_text, sanitise_html


def test_html_nested_fifty_thousand_deep_is_sanitised_at_once_as_text() -> None:
    hostile = "<div>" * 50_000 + "<script>alert(1)</script>Deep &amp; dark" + "</div>" * 50_000

    started = time.monotonic()
    cleaned, text = sanitise_html(hostile), plain_text(hostile)
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed  # html5ever alone takes about half a minute for this
    for result in (cleaned, text):
        assert "<" not in result and "Deep &amp; dark" in result


def test_ordinary_nesting_keeps_its_markup() -> None:
    html = "<blockquote>" * 100 + "<p>Quoted <em>deep</em></p>" + "</blockquote>" * 100

    assert sanitise_html(html).count("<blockquote>") == 100
    assert "<em>deep</em>" in sanitise_html(html)
