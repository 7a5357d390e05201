"""Taking part from anywhere: what software each remote server runs (from its NodeInfo), an
emoji reaction's emoji, a remote proposal's figures as its home node gave them, and the short
preview Note sent to servers that mishandle Articles.

New NOT NULL columns get a DEFAULT for the rows already there; PostgreSQL drops it afterwards
(the models write every column), SQLite cannot, and the schema check leaves SQLite's defaults
out for that reason.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "host" ADD COLUMN "software" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "host" ADD COLUMN "software_version" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "host" ADD COLUMN "software_checked_at" TIMESTAMP;
ALTER TABLE "reaction" ADD COLUMN "content" VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE "proposal" ADD COLUMN "remote_figures" JSON;
ALTER TABLE "proposal" ADD COLUMN "figures_fetched_at" TIMESTAMP;
ALTER TABLE "proposal" ADD COLUMN "preview_object_id" BIGINT REFERENCES "object" ("id") ON DELETE SET NULL;
"""

POSTGRES = """
ALTER TABLE "host" ADD COLUMN "software" VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN "software_version" VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN "software_checked_at" TIMESTAMPTZ;
ALTER TABLE "host" ALTER COLUMN "software" DROP DEFAULT,
    ALTER COLUMN "software_version" DROP DEFAULT;
ALTER TABLE "reaction" ADD COLUMN "content" VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE "reaction" ALTER COLUMN "content" DROP DEFAULT;
ALTER TABLE "proposal" ADD COLUMN "remote_figures" JSONB,
    ADD COLUMN "figures_fetched_at" TIMESTAMPTZ,
    ADD COLUMN "preview_object_id" BIGINT REFERENCES "object" ("id") ON DELETE SET NULL;
"""

UPGRADE = {"sqlite": SQLITE, "postgres": POSTGRES}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise RuntimeError("this migration cannot be undone; restore a backup instead")


MODELS_STATE = ""
