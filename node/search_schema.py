"""The search index as it is now: tables, triggers and functions the models do not describe (an
FTS5 table on SQLite; a table with generated tsvectors, a GIN index and trigger functions on
PostgreSQL). Migration 3_search made them; tests/node/test_migration_upgrades.py checks that a
database the models made plus this SQL has the schema of a migrated one.

One row per object (its name as the title; its summary and its HTML content without tags, or
its source when it has no content, as the body) with the key `object.id * 2`, and one per
decided proposal (its title; the decision's text) with the key `object.id * 2 + 1`. Triggers
on `object` and `proposal` keep it in step with every write path; what a visitor may see is
decided when searching (node/services/search.py).
"""

from __future__ import annotations

from node.search_text import ENTITIES, FOLD_FROM, FOLD_TO, STRIP_FUNCTION


def _object_body(row: str, strip: str) -> str:
    return (
        f"{row}.summary || ' ' || CASE WHEN {row}.content <> '' "
        f"THEN {strip.format(f'{row}.content')} ELSE {row}.source END"
    )


_SQLITE_STRIP = f"{STRIP_FUNCTION}({{}})"

SQLITE_INDEX = f"""
CREATE VIRTUAL TABLE "search_text" USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER "search_object_inserted" AFTER INSERT ON "object" BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name, {_object_body("new", _SQLITE_STRIP)});
END;
CREATE TRIGGER "search_object_updated" AFTER UPDATE OF name, summary, content,
source ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.id * 2;
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name, {_object_body("new", _SQLITE_STRIP)});
    UPDATE "search_text" SET title = new.name WHERE rowid = new.id * 2 + 1;
END;
CREATE TRIGGER "search_object_deleted" AFTER DELETE ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid IN (old.id * 2, old.id * 2 + 1);
END;
CREATE TRIGGER "search_decision_inserted" AFTER INSERT ON "proposal"
WHEN new.decision <> '' BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, o.name, new.decision FROM "object" o WHERE o.id = new.object_id;
END;
CREATE TRIGGER "search_decision_updated" AFTER UPDATE OF decision ON "proposal" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.object_id * 2 + 1;
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, o.name, new.decision FROM "object" o
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


_DOCUMENT = _folded('"title" || \' \' || "body"')
_TITLE_DOCUMENT = _folded('"title"')
_POSTGRES_OBJECT_BODY = _object_body("NEW", _postgres_strip())

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
    VALUES (NEW.id * 2, NEW.name, {_POSTGRES_OBJECT_BODY});
    IF TG_OP = 'UPDATE' THEN
        UPDATE "search_text" SET title = NEW.name WHERE id = NEW.id * 2 + 1;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER "search_object_changed" AFTER INSERT OR DELETE OR UPDATE OF name, summary,
content, source ON "object" FOR EACH ROW EXECUTE FUNCTION "search_object_changed"();
CREATE FUNCTION "search_decision_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM "search_text" WHERE id = OLD.object_id * 2 + 1;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    INSERT INTO "search_text" (id, title, body)
    SELECT NEW.object_id * 2 + 1, o.name, NEW.decision FROM "object" o
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
SELECT o.id * 2, o.name, {_object_body("o", _SQLITE_STRIP)} FROM "object" o;
INSERT INTO "search_text" (rowid, title, body)
SELECT p.object_id * 2 + 1, o.name, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""
POSTGRES_BACKFILL = f"""
INSERT INTO "search_text" (id, title, body)
SELECT o.id * 2, o.name, {_object_body("o", _postgres_strip())} FROM "object" o;
INSERT INTO "search_text" (id, title, body)
SELECT p.object_id * 2 + 1, o.name, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""

SEARCH_INDEX = {"sqlite": SQLITE_INDEX, "postgres": POSTGRES_INDEX}
