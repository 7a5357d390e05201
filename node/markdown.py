"""Markdown written by members, rendered to safe HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt

from node.sanitize import sanitise_html

# CommonMark without raw HTML: members write Markdown, never markup of their own
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(source: str) -> str:
    """HTML for `source`, passed through the same allow-list as remote HTML."""
    return sanitise_html(_renderer.render(source))
