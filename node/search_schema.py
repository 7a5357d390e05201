"""The search index as it is now: tables, triggers and functions the models do not describe (an
FTS5 table on SQLite; a table with generated tsvectors, a GIN index and trigger functions on
PostgreSQL). Migration 3_search made them; tests/node/test_migration_upgrades.py checks that a
database the models made plus this SQL has the schema of a migrated one.

One row per object with the key `object.id * 2`: as the title its name, then the name in each
of its other languages (`object.translations`, node/translations.py); as the body its summary
and its HTML content without tags (or its source when it has no content), then each other
language's summary and content without tags. So a proposal written in English and Welsh side
by side is found by a word of either (migration 10_search_both_languages added them). One row
per decided proposal with the key `object.id * 2 + 1`: the same title; the decision's text.
Triggers on `object` and `proposal` keep it in step with every write path; what a visitor may
see is decided when searching (node/services/search.py).
"""

from __future__ import annotations

from node.search_text import ENTITIES, FOLD_FROM, FOLD_TO, STRIP_FUNCTION


def _object_body(row: str, strip: str) -> str:
    return (
        f"{row}.summary || ' ' || CASE WHEN {row}.content <> '' "
        f"THEN {strip.format(f'{row}.content')} ELSE {row}.source END"
    )


_SQLITE_STRIP = f"{STRIP_FUNCTION}({{}})"


# the texts of an object's other languages, after its first language's: ' ' and theirs joined
# by spaces, or '' when it has none (on SQLite, of the entries that are objects only: their
# json_extract would fail on any other text)
def _sqlite_others(row: str, each: str) -> str:
    return (
        f"COALESCE((SELECT ' ' || group_concat({each}, ' ') FROM json_each({row}.translations) j "
        "WHERE j.type = 'object'), '')"
    )


def _sqlite_title(row: str) -> str:
    return f"{row}.name || " + _sqlite_others(row, "COALESCE(json_extract(j.value, '$.name'), '')")


def _sqlite_body(row: str) -> str:
    summary, content = (f"{STRIP_FUNCTION}(json_extract(j.value, '$.{key}'))" for key in
                        ("summary", "content"))  # fmt: skip
    others = _sqlite_others(row, f"{summary} || ' ' || {content}")
    return f"{_object_body(row, _SQLITE_STRIP)} || {others}"


SQLITE_INDEX = f"""
CREATE VIRTUAL TABLE "search_text" USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER "search_object_inserted" AFTER INSERT ON "object" BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, {_sqlite_title("new")}, {_sqlite_body("new")});
END;
CREATE TRIGGER "search_object_updated" AFTER UPDATE OF name, summary, content,
source, translations ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.id * 2;
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, {_sqlite_title("new")}, {_sqlite_body("new")});
    UPDATE "search_text" SET title = {_sqlite_title("new")} WHERE rowid = new.id * 2 + 1;
END;
CREATE TRIGGER "search_object_deleted" AFTER DELETE ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid IN (old.id * 2, old.id * 2 + 1);
END;
CREATE TRIGGER "search_decision_inserted" AFTER INSERT ON "proposal"
WHEN new.decision <> '' BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, {_sqlite_title("o")}, new.decision FROM "object" o
    WHERE o.id = new.object_id;
END;
CREATE TRIGGER "search_decision_updated" AFTER UPDATE OF decision ON "proposal" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.object_id * 2 + 1;
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, {_sqlite_title("o")}, new.decision FROM "object" o
    WHERE o.id = new.object_id AND new.decision <> '';
END;
CREATE TRIGGER "search_decision_deleted" AFTER DELETE ON "proposal" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.object_id * 2 + 1;
END;
"""


def _postgres_strip() -> str:
    expression = "regexp_replace({}, '<[^>]*>', ' ', 'g')"
    for entity, character in ENTITIES:
        quoted = character.replace("'", "''")
        expression = f"replace({expression}, '{entity}', '{quoted}')"
    return expression


def _folded(text: str) -> str:
    return f"to_tsvector('english'::regconfig, translate({text}, '{FOLD_FROM}', '{FOLD_TO}'))"


def _postgres_others(row: str, each: str) -> str:
    return (
        f"COALESCE((SELECT ' ' || string_agg({each}, ' ') "
        f"FROM jsonb_each({row}.translations) t), '')"
    )


def _postgres_title(row: str) -> str:
    return f"{row}.name || " + _postgres_others(row, "COALESCE(t.value->>'name', '')")


def _postgres_body(row: str) -> str:
    strip = _postgres_strip()
    summary, content = (strip.format(f"COALESCE(t.value->>'{key}', '')") for key in
                        ("summary", "content"))  # fmt: skip
    others = _postgres_others(row, f"{summary} || ' ' || {content}")
    return f"{_object_body(row, strip)} || {others}"


_DOCUMENT = _folded('"title" || \' \' || "body"')
_TITLE_DOCUMENT = _folded('"title"')

POSTGRES_INDEX = f"""
CREATE TABLE "search_text" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "document" TSVECTOR GENERATED ALWAYS AS ({_DOCUMENT}) STORED,
    "title_document" TSVECTOR GENERATED ALWAYS AS ({_TITLE_DOCUMENT}) STORED
);
CREATE INDEX "idx_search_text_document" ON "search_text" USING GIN ("document");
CREATE FUNCTION "search_object_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM "search_text" WHERE id = OLD.id * 2;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM "search_text" WHERE id = OLD.id * 2 + 1;
        RETURN OLD;
    END IF;
    INSERT INTO "search_text" (id, title, body)
    VALUES (NEW.id * 2, {_postgres_title("NEW")}, {_postgres_body("NEW")});
    IF TG_OP = 'UPDATE' THEN
        UPDATE "search_text" SET title = {_postgres_title("NEW")} WHERE id = NEW.id * 2 + 1;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER "search_object_changed" AFTER INSERT OR DELETE OR UPDATE OF name, summary,
content, source, translations ON "object"
FOR EACH ROW EXECUTE FUNCTION "search_object_changed"();
CREATE FUNCTION "search_decision_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM "search_text" WHERE id = OLD.object_id * 2 + 1;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    INSERT INTO "search_text" (id, title, body)
    SELECT NEW.object_id * 2 + 1, {_postgres_title("o")}, NEW.decision FROM "object" o
    WHERE o.id = NEW.object_id AND NEW.decision <> '';
    RETURN NEW;
END
$$;
CREATE TRIGGER "search_decision_changed" AFTER INSERT OR DELETE OR UPDATE OF decision
ON "proposal" FOR EACH ROW EXECUTE FUNCTION "search_decision_changed"();
"""

# what a migration adds to index the rows already there
SQLITE_BACKFILL = f"""
INSERT INTO "search_text" (rowid, title, body)
SELECT o.id * 2, {_sqlite_title("o")}, {_sqlite_body("o")} FROM "object" o;
INSERT INTO "search_text" (rowid, title, body)
SELECT p.object_id * 2 + 1, {_sqlite_title("o")}, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""
POSTGRES_BACKFILL = f"""
INSERT INTO "search_text" (id, title, body)
SELECT o.id * 2, {_postgres_title("o")}, {_postgres_body("o")} FROM "object" o;
INSERT INTO "search_text" (id, title, body)
SELECT p.object_id * 2 + 1, {_postgres_title("o")}, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""

SEARCH_INDEX = {"sqlite": SQLITE_INDEX, "postgres": POSTGRES_INDEX}
