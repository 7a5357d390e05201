"""A client's HTML read back into the Markdown we store renders to the same markup again."""

from __future__ import annotations

import re

import pytest

from node.markdown import html_to_markdown, render_markdown
from node.sanitize import sanitise_html
from node.sections import split_html


def markup(html: str) -> str:
    """HTML compared without the line breaks Markdown adds after <br> and at a code block's end."""
    html = html.replace("<br />", "<br>").replace("<br>\n", "<br>").replace("\n</code>", "</code>")
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(
    "html",
    [
        "<p>Plain words, with * stars, _underscores_ and [brackets].</p>",
        '<p>A <strong>bold</strong>, <em>leaning</em> <a href="https://example.org/a">link</a>.</p>',
        "<p>One line<br>and the next</p>",
        "<h3>A heading</h3><p>Then text.</p>",
        '<ol start="3"><li>three</li><li>four</li></ol><ul><li>a</li><li>b</li></ul>',
        "<blockquote><p>Quoted.</p></blockquote><hr><pre><code>x = *y*</code></pre>",
        "<p>- not a list, 1. not a number, # not a heading</p>",
        "<p>Use <code>make test</code> &amp; see &lt;this&gt;.</p>",
    ],
)
def test_html_a_client_sends_renders_the_same_after_the_round_trip(html: str) -> None:
    assert markup(render_markdown(html_to_markdown(html))) == markup(sanitise_html(html))


def test_headings_naming_sections_split_a_proposal_sent_as_html() -> None:
    body, sections = split_html(
        "<p>Intro.</p><h2>The problem</h2><p>Closed.</p><h2>Not a section</h2><p>Kept.</p>"
        "<h3>who is affected:</h3><p>Families.</p><h2>Evidence</h2>"
    )

    assert body == "Intro."
    assert sections == {
        "problem": "Closed.\n\n## Not a section\n\nKept.",
        "who_is_affected": "Families.",
        "evidence": "",
    }
