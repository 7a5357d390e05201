"""Remote HTML made safe with an allow-list sanitiser (nh3, the Rust ammonia library)."""

from __future__ import annotations

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
}
# no `class`: remote HTML must not borrow the site's styles (a fake notice or badge)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """Keep only harmless markup: no scripts, event handlers or javascript: links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The text of some HTML with every tag removed."""
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
