"""Remote HTML made safe with an allow-list sanitiser (nh3, the Rust ammonia library)."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata

import nh3

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "sub",
    "sup",
    # tables: a consultation's report (an Article) carries its figures as tables
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# no `class`: remote HTML must not borrow the site's styles (a fake notice or badge)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


# html5ever (under nh3) takes time growing with the square of how deep elements nest: 80,000
# nested <div>s, under a megabyte, would hold a worker for over a minute. Deeper than any real
# post could be, HTML is kept as its text, counted in one linear pass.
MAX_NESTING = 500
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")  # [^<>]: each try ends at the next <
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col"})


def _too_deep(html: str) -> bool:
    depth = 0
    for match in _TAG.finditer(html):
        closing, tag, attributes = match.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not attributes.endswith("/") and tag.lower() not in _VOID_TAGS:
            depth += 1
            if depth > MAX_NESTING:
                return True
    return False


def sanitise_html(html: str) -> str:
    """Keep only harmless markup: no scripts, event handlers or javascript: links."""
    if _too_deep(html):
        return html_lib.escape(html_lib.unescape(re.sub(r"<[^>]*>?", " ", html)), quote=False)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The text of some HTML with every tag removed."""
    if _too_deep(html):
        return html_lib.escape(html_lib.unescape(re.sub(r"<[^>]*>?", " ", html)), quote=False)
    return nh3.clean(html, tags=set())


# joiners kept: emoji sequences and Persian or Indic words need them
_KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d")


def display_name(name: str) -> str:
    """A name as people see it: no bidi overrides, invisible format or control characters,
    so a name cannot reorder the text around it ("Admin \u202e(moderator)") or hide itself."""
    kept = (
        " " if unicodedata.category(char) == "Cc" else char
        for char in name
        if char in _KEPT_FORMAT_CHARACTERS or unicodedata.category(char) not in ("Cf", "Cs", "Co")
    )
    return " ".join("".join(kept).split())


def web_url(value: object) -> str:
    """`value` if it is an http(s) URL, else '' (no javascript:, data: or other schemes)."""
    if not isinstance(value, str):
        return ""
    scheme, _, rest = value.strip().partition(":")
    return value.strip() if scheme.lower() in ("http", "https") and rest.startswith("//") else ""
