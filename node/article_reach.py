"""Software known to mishandle `Article`, the type proposals are published as (FEP-b2b8).

Servers running software listed here get, beside the proposal's `Article`, a short preview
`Note` (title, plain summary, link: node/services/article_preview.py). The software comes from
the server's NodeInfo (node/services/host_software.py). Add an entry only with evidence, and
close its version range once a fixed release is known.

| software | versions          | what it does with an Article                                   |
|----------|-------------------|----------------------------------------------------------------|
| takahe   | every (to 0.11.x) | drops every incoming Article: `Post.by_ap` validates its       |
|          |                   | `type_data` with `ArticleData`, whose required field           |
|          |                   | `attributed_to` has no `attributedTo` alias, so validation     |
|          |                   | fails; and it shows `summary` (else `name`) as the content     |
|          |                   | warning hiding the body                                        |
| misskey  | every             | shows `summary` as a content warning (`cw`); shows an object   |
|          |                   | with a `name` as `【name】`, the text and the link; ignores an    |
|          |                   | Article's `Update`                                             |

Evidence:
- Takahē: jointakahe/takahe at d45f22c9 (`takahe/__init__.py`: 0.11.0, the last release):
  activities/models/post_types.py `ArticleData` (`attributed_to: str | None = Field(...)`,
  no alias, `extra = "ignore"`), used by activities/models/post.py `Post.by_ap` for Articles
  (lines 898-899); summary as content warning: post.py lines 908-912 and `spoiler_text`
  (line 1176).
- Misskey: misskey-dev/misskey packages/backend/src/core/activitypub/models/ApNoteService.ts
  (`createNote`: `const cw = note.summary === '' ? null : note.summary`) and
  packages/backend/src/core/entities/NoteEntityService.ts `pack` (`【${note.name}】`, text, then
  `note.url ?? note.uri`); edits: upstream ApInboxService.ts `update` re-reads actors and
  Questions only (some forks apply Note updates; listed as Misskey names itself in NodeInfo).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mishandling:
    """One software's known trouble with `Article` and the versions it holds for."""

    software: str  # NodeInfo software.name, lower case
    first: tuple[int, ...] | None  # first version affected; None: since the beginning
    last: tuple[int, ...] | None  # last version affected; None: up to now
    evidence: str


ARTICLE_MISHANDLED = (
    Mishandling(
        "takahe",
        None,
        None,
        "jointakahe/takahe activities/models/post_types.py ArticleData, post.py Post.by_ap "
        "(0.11.0 drops Articles; summary shown as a content warning)",
    ),
    Mishandling(
        "misskey",
        None,
        None,
        "misskey-dev/misskey core/activitypub/models/ApNoteService.ts (summary as cw), "
        "core/entities/NoteEntityService.ts (【name】); Update of an Article ignored",
    ),
)

_NUMBERS = re.compile(r"\d+")


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numbers of a version ("0.11.0+fake" → (0, 11, 0)); () when it has none."""
    head = re.split(r"[^0-9.]", version.strip(), maxsplit=1)[0]
    return tuple(int(part) for part in _NUMBERS.findall(head))


def mishandles_article(software: str, version: str) -> bool:
    """Whether `software` at `version` (as NodeInfo names them) is known to mishandle Articles.

    An unreadable version of listed software counts as affected: a preview too many is
    harmless, a proposal nobody sees is not.
    """
    found = version_tuple(version)
    for entry in ARTICLE_MISHANDLED:
        if entry.software != software.lower():
            continue
        if not found:
            return True
        if (entry.first is None or found >= entry.first) and (
            entry.last is None or found <= entry.last
        ):
            return True
    return False
