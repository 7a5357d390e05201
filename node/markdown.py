"""Markdown written by members, rendered to safe HTML; and HTML a client sent, read back into
the Markdown we store (for the allow-listed tags of node.sanitize, so rendering it again gives
the same markup)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from node.sanitize import sanitise_html

# CommonMark without raw HTML: members write Markdown, never markup of their own
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(source: str) -> str:
    """HTML for `source`, passed through the same allow-list as remote HTML."""
    return sanitise_html(_renderer.render(source))


@dataclass
class Element:
    """One element of parsed HTML: its tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)


_VOID = frozenset({"br", "hr"})
MAX_DEPTH = 32  # elements nested deeper are flattened into the 32nd: no recursion without end
_BLOCKS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "li", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("body")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in _VOID and len(self._open) <= MAX_DEPTH:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(html: str) -> list[Element | str]:
    """The top-level nodes of `html`, sanitised first (only the allow-listed tags remain)."""
    builder = _TreeBuilder()
    builder.feed(sanitise_html(html))
    builder.close()
    return builder.root.children


def text_of(node: Element | str) -> str:
    """The text inside a node, whitespace collapsed."""
    if isinstance(node, str):
        return " ".join(node.split())
    return " ".join("".join(_raw_text(node)).split())


def _raw_text(node: Element | str) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [part for child in node.children for part in _raw_text(child)]


def html_to_markdown(html: str) -> str:
    """Markdown that renders to (about) the same markup as `html`, which is sanitised first."""
    return markdown_of(parse_html(html))


def markdown_of(nodes: list[Element | str]) -> str:
    """Markdown for a run of parsed nodes: paragraphs, headings, lists, quotes, code."""
    blocks: list[str] = []
    inline: list[Element | str] = []
    for node in [*nodes, Element("hr", {"end": "1"})]:
        if isinstance(node, Element) and node.tag in _BLOCKS:
            paragraph = _inline(inline).strip()
            if paragraph:
                blocks.append(paragraph)
            inline = []
            if "end" not in node.attrs:
                blocks.append(_block(node))
        else:
            inline.append(node)
    return "\n\n".join(block for block in blocks if block.strip())


def _block(element: Element) -> str:
    tag = element.tag
    if tag in ("p", "li"):
        return markdown_of(element.children)
    if tag[0] == "h" and tag[1:].isdigit():
        return f"{'#' * int(tag[1:])} {_inline(element.children).strip()}"
    if tag == "hr":
        return "***"
    if tag == "pre":
        code = "".join(_raw_text(element)).strip("\n")
        fence = "~~~~" if "~~~" in code else "~~~"
        return f"{fence}\n{code}\n{fence}"
    if tag == "blockquote":
        quoted = markdown_of(element.children)
        return "\n".join(f"> {line}".rstrip() for line in quoted.split("\n")) if quoted else ""
    return _list(element)


def _list(element: Element) -> str:
    start = int(element.attrs["start"]) if element.attrs.get("start", "").isdigit() else 1
    items = [child for child in element.children if isinstance(child, Element)]
    lines = []
    for number, item in enumerate(items, start):
        marker = f"{number}. " if element.tag == "ol" else "- "
        text = markdown_of(item.children if item.tag == "li" else [item])
        indent = "\n" + " " * len(marker)
        lines.append(marker + indent.join(text.split("\n")).replace(indent + "\n", "\n\n"))
    return "\n".join(lines)


def _inline(nodes: list[Element | str]) -> str:
    return "".join(_inline_node(node) for node in nodes)


def _inline_node(node: Element | str) -> str:
    if isinstance(node, str):
        return _escape(re.sub(r"\s+", " ", node))
    if node.tag == "br":
        return "\\\n"
    if node.tag in _BLOCKS:
        return _block(node)
    inner = _inline(node.children)
    if node.tag in _EMPHASIS and inner.strip():
        mark = _EMPHASIS[node.tag]
        return f"{mark}{inner}{mark}"
    if node.tag == "code":
        code = "".join(_raw_text(node))
        fence = "``" if "`" in code else "`"
        return f"{fence}{code}{fence}"
    if node.tag == "a" and node.attrs.get("href"):
        href = node.attrs["href"].replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        return f"[{inner}]({href})"
    return inner


_SPECIAL = re.compile(r"([\\`*_\[\]<>&!])")
_LINE_START = re.compile(r"(^|\n)(\s*)(\d*)([#>+\-=|]|(?<=\d)[.)])")


def _escape(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2]}{m[3]}\\{m[4]}", escaped)
