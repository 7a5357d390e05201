"""Two renderings of the same text compared as HTML: the newer one's markup kept whole, the
words it added wrapped in <ins> and those it dropped in <del> where they stood, each run
saying so in words for screen readers (the marks alone are not read out)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from node.i18n import gettext_ as _

# a tag, a run of whitespace, or a word (entities stay inside their word)
_TOKENS = re.compile(r"<[^>]*>|\s+|[^\s<]+")


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def html_diff(before: str, after: str) -> str:
    """`after` (safe HTML) with the words added since `before` (safe HTML) in <ins> and the
    words removed in <del>; tags of `before` that went away are left out, so the result has
    exactly `after`'s structure."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(new[b1:b2])
            continue
        dropped = [token for token in old[a1:a2] if not _is_tag(token)]
        out.extend(_marked(dropped, "del", _("removed")))
        out.extend(_marked(new[b1:b2], "ins", _("added")))
    return "".join(out)


def _marked(tokens: Iterable[str], element: str, said: str) -> list[str]:
    """The tokens with each run of words between tags wrapped in `element`."""
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        if "".join(run).strip():
            hidden = f'<span class="visually-hidden">[{said}] </span>'
            out.append(f"<{element}>{hidden}{''.join(run)}</{element}>")
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        if _is_tag(token):
            close()
            out.append(token)
        else:
            run.append(token)
    close()
    return out
