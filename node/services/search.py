"""Search: proposals, comments (local and remote) and decisions whose text has every word asked
for, in three groups, the same on SQLite and PostgreSQL (node/search_text.py says how the two
engines are made to agree; node/search_schema.py holds the index).

Ranked by match quality, then recency: first those with every word in their title, then the
rest; within each, the newest first (for decisions, the most recently decided). Only what any
visitor may see is found: public, neither hidden nor deleted, no drafts (the rule of
node/services/visibility.py for a reader who is nobody in particular), nothing by a limited
server or account (left out before counting). Comments of members who did not let search
find their posts (Account.indexable, FEP-268d) are left out, but for their own searches; so
are the comments of remote actors whose document says `indexable: false` (Actor.indexable
False); one that says nothing (None) is searched, as its comments are public discussion shown
on the thread's page anyway. Proposals and decisions are found whoever wrote them, here or
elsewhere: they are an organisation's publications.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise import connections

from node.i18n import N_
from node.models import Object, Proposal
from node.raw_sql import is_postgres, numbered
from node.search_match import OWN_TEXTS, POSTGRES_QUERY, SQLITE_MATCH, match_value
from node.search_text import MAX_QUERY, fts5_match, query_words
from node.services.errors import ServiceError
from node.services.limited_servers import unseen_author_ids
from node.services.proposal_search import ProposalCard, cards_of
from node.services.remote_pages import remote_pages_among
from node.services.thread_view import Comment, comments_of
from node.services.visibility import NOBODY

PAGE_SIZE = 20
OVERVIEW_SIZE = 5
MAX_PAGE = 500
MARK_START, MARK_END = "\ue000", "\ue001"  # around matched words in snippets (escaped later)


class Group(StrEnum):
    """The kinds of result, each a group of its own on the page."""

    PROPOSALS = "proposals"
    COMMENTS = "comments"
    DECISIONS = "decisions"


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text around the matches: (text, whether it is a match) pieces, to be escaped."""

    pieces: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class ProposalHit:
    card: ProposalCard
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class CommentHit:
    comment: Comment
    snippet: Snippet
    page_here: bool = False  # another server's comment with a page here (its proposal's)


@dataclass(frozen=True, slots=True)
class GroupResults:
    group: Group
    hits: tuple[ProposalHit | CommentHit, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a visitor asked: the text, its words, one group (or all) and a page."""

    text: str
    words: tuple[str, ...]
    group: Group | None = None
    page: int = 1


def parse_search(text: str, group: str = "", page: str = "") -> SearchQuery:
    """Check a query string's parts; a ServiceError says which is wrong."""
    if len(text) > MAX_QUERY:
        raise ServiceError(
            N_("a search may be at most %(max_query)s characters long"), max_query=MAX_QUERY
        )
    if group and group not in {g.value for g in Group}:
        raise ServiceError(N_("unknown kind of result %(group)s"), group=repr(group))
    try:
        number = int(page) if page else 1
    except ValueError:
        raise ServiceError(N_("page %(page)s is not a number"), page=repr(page)) from None
    if not 1 <= number <= MAX_PAGE:
        raise ServiceError(N_("page must be between 1 and %(max_page)s"), max_page=MAX_PAGE)
    return SearchQuery(text, tuple(query_words(text)), Group(group) if group else None, number)


_VISIBLE = "o.is_public AND o.deleted_at IS NULL AND o.hidden_at IS NULL"
# a member's posts are searched only with their consent (the searcher's own always: {me})
_CONSENTED = (
    'NOT EXISTS (SELECT 1 FROM "account" a WHERE a.actor_id = o.author_id '
    "AND NOT a.indexable AND a.actor_id <> {me})"
)
# a remote author who said `indexable: false` (None, unsaid, is searched: see the docstring)
_REMOTE_CONSENTED = (
    'NOT EXISTS (SELECT 1 FROM "actor" r WHERE r.id = o.author_id '
    "AND NOT r.is_local AND NOT r.indexable)"
)
# per group: its join, what it keeps, its key's parity (object 0, decision 1), its recency
_GROUPS = {
    Group.PROPOSALS: (
        'JOIN "proposal" p ON p.object_id = o.id',
        "p.status <> 'draft'",
        OWN_TEXTS,
        "o.published_at",
    ),
    Group.COMMENTS: (
        "",
        "o.type = 'Note' AND o.context_uri <> '' AND " + _CONSENTED + " AND " + _REMOTE_CONSENTED,
        0,
        "o.published_at",
    ),
    Group.DECISIONS: (
        'JOIN "proposal" p ON p.object_id = o.id',
        "p.status <> 'draft'",
        OWN_TEXTS + 1,
        "COALESCE(p.decided_at, o.published_at)",
    ),
}

# templates: {join} {keep} {parity} {recency} per group, then {{pN}} the dialect's parameters
_SQLITE_FROM = (
    'FROM "search_text" JOIN "object" o ON o.id = "search_text".rowid / 2 {join} '
    "WHERE " + SQLITE_MATCH.format(words="{{p1}}") + ' AND "search_text".rowid % 2 = {parity} '
    "AND " + _VISIBLE + " AND {keep}"
)
_SQLITE_PAGE = (
    'SELECT o.id AS id, snippet("search_text", 1, \'' + MARK_START + "', '" + MARK_END + "', "  # noqa: S608 - constants
    "'…', 24) AS snippet " + _SQLITE_FROM + ' ORDER BY ("search_text".rowid IN '
    '(SELECT rowid FROM "search_text" WHERE "search_text" MATCH {{p2}})) DESC, '
    "{recency} DESC, o.id DESC LIMIT {{p3}} OFFSET {{p4}}"
)
_POSTGRES_FROM = (
    'FROM "search_text" s CROSS JOIN ' + POSTGRES_QUERY.format(words="{{p1}}") + " q "
    'JOIN "object" o ON o.id = s.id / 2 {join} '
    "WHERE s.document @@ q AND s.id % 2 = {parity} AND " + _VISIBLE + " AND {keep}"
)
_HEADLINE_OPTIONS = (
    "StartSel=" + MARK_START + ", StopSel=" + MARK_END + ", MaxWords=24, MinWords=12, ShortWord=0"
)
_POSTGRES_PAGE = (
    "SELECT o.id AS id, ts_headline('english', s.body, q, '" + _HEADLINE_OPTIONS + "') "
    "AS snippet " + _POSTGRES_FROM + " ORDER BY (s.title_document @@ q) DESC, "
    "{recency} DESC, o.id DESC LIMIT {{p2}} OFFSET {{p3}}"
)


async def search(query: SearchQuery, searcher: int | None = None) -> list[GroupResults]:
    """The groups asked for (all three on the first view, with a few hits each), in order;
    `searcher` the actor id of the member searching (their own posts are found whatever
    their search consent), None for a visitor."""
    if not query.words:
        return []
    me = int(searcher) if searcher is not None else -1  # an int, written into the SQL
    if query.group is not None:
        return [await _search_group(query.group, query.words, query.page, PAGE_SIZE, me)]
    return [await _search_group(group, query.words, 1, OVERVIEW_SIZE, me) for group in Group]


async def _search_group(
    group: Group, words: tuple[str, ...], page: int, size: int, me: int
) -> GroupResults:
    connection = connections.get("default")
    postgres = is_postgres(connection)
    join, keep, parity, recency = _GROUPS[group]
    keep = keep.format(me=me)
    limited = await unseen_author_ids(NOBODY)  # search never shows them: counted after
    if limited:  # ints, written into the SQL
        keep += " AND o.author_id NOT IN (" + ", ".join(str(int(i)) for i in limited) + ")"
    shape = {"join": join, "keep": keep, "parity": parity, "recency": recency}
    offset = (page - 1) * size
    if postgres:
        asked: list[object] = [match_value(words, postgres)]
        rows_sql = _POSTGRES_PAGE.format(**shape)
        page_parameters = [*asked, size, offset]
        count_sql = "SELECT count(*) AS n " + _POSTGRES_FROM.format(**shape)
    else:
        asked = [match_value(words, postgres)]
        rows_sql = _SQLITE_PAGE.format(**shape)
        page_parameters = [*asked, fts5_match(list(words), "title"), size, offset]
        count_sql = "SELECT count(*) AS n " + _SQLITE_FROM.format(**shape)
    counted = await connection.execute_query_dict(numbered(count_sql, postgres), asked)
    total = int(counted[0]["n"])
    rows = await connection.execute_query_dict(numbered(rows_sql, postgres), page_parameters)
    ids = [int(row["id"]) for row in rows]
    snippets = {int(row["id"]): snippet_of(row["snippet"] or "") for row in rows}
    hits: list[ProposalHit | CommentHit] = []
    if group is Group.COMMENTS:
        comments = {c.id: c for c in await comments_of(Object.filter(id__in=ids))}
        remote = [c.id for c in comments.values() if not c.is_local]
        here = await remote_pages_among(
            await Object.filter(id__in=remote).only("id", "is_local", "context_uri")
            if remote
            else []
        )
        hits = [CommentHit(comments[i], snippets[i], i in here) for i in ids if i in comments]
    else:
        cards = await cards_of(Proposal.filter(object_id__in=ids))
        by_uri = {card.uri: card for card in cards}
        uris = dict(await Object.filter(id__in=ids).values_list("id", "uri"))
        hits = [ProposalHit(by_uri[uris[i]], snippets[i]) for i in ids if uris.get(i) in by_uri]
    pages = max(1, -(-total // size))
    return GroupResults(group, tuple(hits), total, page, pages)


def snippet_of(marked: str) -> Snippet:
    """The pieces of an engine's snippet, matches apart (markers that do not pair, as in a
    text that held them itself, only end or start a match: the pieces are escaped anyway)."""
    pieces: list[tuple[str, bool]] = []
    inside = False
    current = ""
    for character in " ".join(marked.split()):
        if character in (MARK_START, MARK_END):
            if current:
                pieces.append((current, inside))
            current, inside = "", character == MARK_START
        else:
            current += character
    if current:
        pieces.append((current, inside))
    return Snippet(tuple(pieces))
