"""Email and looking after your own account, and limits every web process shares: the durable
outgoing mail queue, address verification, notification preferences and what was mailed,
closing-soon reminders, a post's earlier revisions, whether a member's role is shown, the
address an invitation went to, and rate-limit events kept in the database.

New NOT NULL columns get a DEFAULT for the rows already there; PostgreSQL drops it afterwards
(the models write every column), SQLite cannot, and the schema check leaves SQLite's defaults
out for that reason.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
ALTER TABLE "account" ADD COLUMN "email" VARCHAR(320);
CREATE UNIQUE INDEX "uid_account_email" ON "account" ("email");
ALTER TABLE "account" ADD COLUMN "email_verified_at" TIMESTAMP;
ALTER TABLE "account" ADD COLUMN "role_public" INT NOT NULL DEFAULT 1;
ALTER TABLE "invite" ADD COLUMN "email" VARCHAR(320) NOT NULL DEFAULT '';
CREATE TABLE "email_verification" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "digest" VARCHAR(64) NOT NULL UNIQUE,
    "address" VARCHAR(320) NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "used_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE
);
CREATE TABLE "mailed_through" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "period" VARCHAR(16) NOT NULL,
    "covered_until" TIMESTAMP NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_mailed_thro_account_cd7fe0" UNIQUE ("account_id", "period")
);
CREATE TABLE "notification_preference" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "delivery" VARCHAR(16) NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_notificatio_account_ea68b6" UNIQUE ("account_id", "kind")
);
CREATE TABLE "object_revision" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(500) NOT NULL,
    "summary" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "written_at" TIMESTAMP NOT NULL,
    "replaced_at" TIMESTAMP NOT NULL,
    "object_id" BIGINT NOT NULL REFERENCES "object" ("id") ON DELETE CASCADE
);
CREATE TABLE "outgoing_mail" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" VARCHAR(255) NOT NULL UNIQUE,
    "recipient" VARCHAR(320) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "message" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "claimed_at" TIMESTAMP,
    "last_error" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "account_id" INT REFERENCES "account" ("id") ON DELETE SET NULL
);
CREATE INDEX "idx_outgoing_ma_next_at_d08782" ON "outgoing_mail" ("next_attempt_at");
CREATE INDEX "idx_outgoing_ma_created_88f091" ON "outgoing_mail" ("created_at");
CREATE INDEX "idx_outgoing_ma_state_8b21af" ON "outgoing_mail" ("state", "next_attempt_at");
CREATE TABLE "closing_reminder" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "days_before" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    "proposal_id" BIGINT NOT NULL REFERENCES "proposal" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_closing_rem_account_e08237" UNIQUE ("account_id", "proposal_id", "days_before")
);
CREATE TABLE "rate_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "happened_at" TIMESTAMP NOT NULL
);
CREATE INDEX "idx_rate_event_key_1005d0" ON "rate_event" ("key", "happened_at");

"""

POSTGRES = """
ALTER TABLE "account" ADD COLUMN "email" VARCHAR(320) UNIQUE,
    ADD COLUMN "email_verified_at" TIMESTAMPTZ,
    ADD COLUMN "role_public" BOOL NOT NULL DEFAULT TRUE;
ALTER TABLE "account" ALTER COLUMN "role_public" DROP DEFAULT;
ALTER TABLE "invite" ADD COLUMN "email" VARCHAR(320) NOT NULL DEFAULT '';
ALTER TABLE "invite" ALTER COLUMN "email" DROP DEFAULT;
CREATE TABLE "email_verification" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "digest" VARCHAR(64) NOT NULL UNIQUE,
    "address" VARCHAR(320) NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE
);
CREATE TABLE "mailed_through" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(16) NOT NULL,
    "covered_until" TIMESTAMPTZ NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_mailed_thro_account_cd7fe0" UNIQUE ("account_id", "period")
);
CREATE TABLE "notification_preference" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "delivery" VARCHAR(16) NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_notificatio_account_ea68b6" UNIQUE ("account_id", "kind")
);
CREATE TABLE "object_revision" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(500) NOT NULL,
    "summary" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "written_at" TIMESTAMPTZ NOT NULL,
    "replaced_at" TIMESTAMPTZ NOT NULL,
    "object_id" BIGINT NOT NULL REFERENCES "object" ("id") ON DELETE CASCADE
);
CREATE TABLE "outgoing_mail" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "message_id" VARCHAR(255) NOT NULL UNIQUE,
    "recipient" VARCHAR(320) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "message" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "claimed_at" TIMESTAMPTZ,
    "last_error" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "account_id" INT REFERENCES "account" ("id") ON DELETE SET NULL
);
CREATE INDEX "idx_outgoing_ma_next_at_d08782" ON "outgoing_mail" ("next_attempt_at");
CREATE INDEX "idx_outgoing_ma_created_88f091" ON "outgoing_mail" ("created_at");
CREATE INDEX "idx_outgoing_ma_state_8b21af" ON "outgoing_mail" ("state", "next_attempt_at");
CREATE TABLE "closing_reminder" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "days_before" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE CASCADE,
    "proposal_id" BIGINT NOT NULL REFERENCES "proposal" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_closing_rem_account_e08237" UNIQUE ("account_id", "proposal_id", "days_before")
);
CREATE TABLE "rate_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(255) NOT NULL,
    "happened_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_rate_event_key_1005d0" ON "rate_event" ("key", "happened_at");

"""

UPGRADE = {"sqlite": SQLITE, "postgres": POSTGRES}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise RuntimeError("this migration cannot be undone; restore a backup instead")


MODELS_STATE = 'eJztXW1z2za2/isY3Q9xZpSM4yZpr7uzM0qspG4dy7WVdGfrHZYSIYlrCmAJ0o7vbv/7xQFJ8Q2kSEqUSQYf2tgkDkg/BwTO+/nPYE0NbLGXo/mcesQdnKL/DIi+xvyH9K0hGui2Hd2AC64+s8RYPTZoxlxHn8NcC91imF8yMJs7pu2alMDgEVrj9Qw76GFF0VwniJlLgkxyiijByKJz3UJX2GGUID4PdYZIR7bO2AN1DLTS2QrpxODXHGrhl/BIg875M02ybGR2j5h/elhz6RK7K+zwZ/z+L37ZJAb+iln4q32nLUxsGQkITQMmENc199EW186J+0EMhBefaXNqeWsSDbYf3RUlm9GmD+oSE+zoLobpXccDUIlnWQH8Ic7+m0ZD/FeM0Rh4oXsWsAao/ReIrg007XIy1W7GU00bZNgWUsSwDi7NKQGW81dl4q9fwiu8OHn1+vvXP3z39vUPfIh4zc2V7//yHx0B4xMKeC6ng7/Efd3V/REC4wjUkFkaMCuL7/uV7sgBzhCmsOZ/RBrrENkisMMLEdrRut9AO2gK7LX+VbMwWborQPjNmwJov4yu3/80uj7io57DIyn/TP3P9zK4deLfA/wjvPm3jRnT4HuQoz0m3logfs5fTSdznEE+NcUBcff3goroDz6NP70bX58GO8kt+TQ5G1+PphO4xDc//paUXx2dfTq/PEW6sTZJehsqw61Xb0sw69XbXF7BrSSrOPyux+pyKaI+IIP4Hmze46oMGr2fnn8ZnyKf+pZcjS/Pzi8/niIbE4Nz4JbcfL6Bi+OzU8Q8BpexcUvOxhfjKVzjJxiGv6QVbDOZZjPsGZQ8rrPMe0f5Z6OTnEMjRZri3IzTNsW6zZUGtrUChN9NJhcw85qxPy1x4XyagvozfL1HrwQH+CDTxfGTJcL939QkGqGuZF+b4q85x3SCqAcnSAHU0/E/pgmow0V89Gn0D4Hu+jG4czG5/BgOj3Hi/cXkXXqP4icBf0UN23QuOb5zxaMM3XZJaV/YH7daUoqg5avSXJhzHd6DaQxjouluFuIzDo9rrrEc59xJUngbwSwvwx9KoB+IoZXAb1BSLVr655/GN9PRp6vE+j8bTcdw5ySx9sOrR+k9fzMJ+u18+hOCX9E/J5djgSZl7tIRT4zGTf85gHfSPZfyLeZB0404JuHl8FKC95bOXA1UHc2sw3UJueJ3m/mN17ppVdF+NgS1zqw0J59Ww0zIY9+dHJcQyPioXIlM3PsrC692jx2+F2KjxgclnUB9Um3+pEA91WxvZpnzilJ4ivKAQnj42XVWBp87GCCp8YUlKffwadViQJPbHP8DjQmxHgM+d+RbC5Zk4acmLK9aJfNonGQ/on/nraRgd17cxYykcGGmz+8edMfQEndiH5xFGX8xzcFr+MsdibnoXTDFh1+usSUUAQnogXvgvT/ddTBbBz+zv8KVFl6NPje5PBDoRrvhNoYJv8Tm6ytyJrnnm/+OaJ2LSTorHhUjBCuBn2PuyqHeUmISqQLUJzHXNJqqj0sqbqLQbAcvsIPJfNc1dhmb9WozaV8xhEW3I2ATz11S/iKfAsWyh5/mxmXIRR/s7ojXVTDZNczV13XlA6WtdUNiVW8SrS4urz89yo9GDpZzhyWycBW4foWpACybP7GvJ6WDberw1cUXGbXud4XsWszWU6hceod3lVGnMEefNirQj+gJlepFQr/M4jUheEr5/zKuczlko3CWTimjeYDxy47+sAlsSujg/G/3nehw4/3o5v3obDz4K6GBJqGGW+uTdfqKTvSl+IPh1eBFIiRNLvSD8UMSkxbcGxYHpcVGbY9KIygkQCb/OQgVE3/yM4ao587o1yG6w7YLoWUWRjpDJv+Z/8MwcSWRaPuYcc/RZ+/M5bcSgPa/Jyfffff9yfF3b3948/r779/8cLyxsWRvFRlb3p1/BHvLMG4r2x6m5jlmFfdMMHw/AQUt8s6cHL/+oUxMGh+WH5QmbibtxgKhCviG4w8XsXFAB1gp/1eB+ysNLp39G89dreISTlI1BXRmKR8qtrKhhQwRXHV8Tgk65XEq73Hi7+GtMZH4m36+mVzKwY7TpD1N5txF/0WWyTqs08sgBzQSkGeiv9KBXsOknwgmSEd/iSXLVrUcfmnaw7j8Dnp0Ko9fox6/pz62m/D5bdVgP1AHm0vyC35sWodtx162by0242HNqrV703ipM5Cruz5DCnXdYEiJ9CtfD6UOcvCauhiF6vSVN/O1U1lWVTkiibr6+2ClE8PP/DDomjNm8C+VQPWECVRKM30izXR7Ck4XtNTB1fiaS3anQRblLfl4Pfl8dYo+OtSzb8nN+PrL+fvxKbrBzr05x7dkdHV1cf5+ND0HopFtW4GT9ZZMrj+OLs//GdyaOEudmP+3MUpXZ2gpdhYwU6KbiW2vumq2IWtMM8t8ON3Px4nOibJ7U0RxMHPD4fanJpI5gwO4AsQRhYK4FMTi3woAh+N7kEt2AHSZt17rzmMW4PyMvRhJDzA+dL5eft53fix8T6Bu2szuOZUyeILhvQO2Mcs6mdGvVZ0YCaI2i+EtA9v3Zld2GSWo1MouCTbjgGJDq7XAZbQK+JLAL6hl0Qeu91ZFPUOoIK8EOWSs1II8RqggLwn5HX6UemrysY4olNu/HMa+714D4GwsqfqSr85kKXuwsA+t1ax14umW9ajptu3Qe8y0zQ5d0di3ZSZVkKeCAXCB3Xm92IAkpcqzb3OefVB7qwaXk5SKy23mskrsz5cw+hvm49lGTa4nKRXX28J1yce+yaWpXHwgyIcwd83VjSeAdGwZlMre0gnjAiR8DWtMDIg83RWwcJ7OHorFgIUyt+bQhx2h+iCm6uvKiqwiCqlthSvAQso/GWfn7eocphrzmXq7Yfm5H7sWFBCT9BUi26H82NV3rbpwFUzT042cC0nzPZTXuQ6m6etiCjPhd6+z0OsseJufUNo93bn+0BdaqvpQZ5ZSpTD2RCuAsM2HHMswW76MBL+Zqo/rzjHv+V8ERvr9gOVS5xdcRnroClp1ciMAgbz0iACdLRkSIUO2Z0lMVxgFXEScCNFFMoH/R8jUJ/geO8jC+j1myOUUDDv8SjZ9YufZdigD0IrMq14nVMS+9srOvCxpL4KODuHPq2CBUoVfqm3Pw6cs/LIxVcn2+rgdq2CzTwwrkRJ3CSltJkFcrrYekUuhKVigaPGtWHcR85ZLzFzGd+kH5PLvGS2oI1qK8b3cdKFii6+3yHLn9jy7qgnT0ZowARezLCgI14tIenEwpHopHZfJ2eKj8rspHWeytoKPCUqq8i+pymmcpewF5ocOrvG9FwzKJTPpcs8XPLOUh8v8f9Vq8TPZ5a12humG+IBBY0FTtkE1fAfZpm6j9+/HV6J/G3QUtF2/pdv7i/NLv6fb3DIJbklTNwfrTLb283efiEIF9NXcc6rGCCepegD7YYJXI/d05TCPFKmK4WpPWIeK4ep/NE+pUk3hJzqTpwFskd7ihLWEt5Z90PsW30LNX4ptkS6eIuxTSayD6OWZ+pZVGZAg649d/ADgF1Qts2PxDElWVC5cViE0om3fQVlDbGoPkNticzbzPSBc1srdsi28tJk7c4AlAOavgS4/X1xUKxCX3nZ2djXUD5PqhK8hscs27Wx4Z9H53UDiaPBvDIucDLPNkBIOhqBqnnCkoKPZIzKN51BNTw9Kv/tlduAXhlEUJo3clckQ4Q/nMyw8hqX+hf1OLq3hd8cXjf/XO/yyquD3pA7nkBml03OD8b2wZjdtuAtWeAV4I4oeAtyUDUnZRw9qH1WmnPz13i9Tzk5hMfuTrNKNYSUylqR3bL60le5bW0HwEuP9QAsdAfP58hERlwgm5XIQo5QMEcRSI8pFb2Tz4Wu8nmFnGAVq6MSA4DwDifUul8KaepJUJItF48aVaEN/ZNoML7hut5uYpuJC9mt/ypfn4iwrLy2nqPpkD9ybsVUde9/KsZdsNiF2xqpBz3Ei9TUp10Vbjo4C63luRk4N027ZhJy2MaJ8EHP8A99uOleeiSrolvJMPI0qcoYt8x470uShzb1C5cOIj9qqdEwIjjp/uhRdTW6m8C/Ecx/59TefI5Fe/iN6cEzXxQSiwyHlh89MmJ+66qsRQlUwJd1Fm3pIjqrhPyiMlIqqh6Y1jN+jCEOCv7pcfHLx2oZ//aFK+2id9pFmbunguRSdMn6q0tRtBHtFWSVzfjhe9bso15Gha+HofKiHQ7aXjkb/9fP4M0SZ+9QQd35x/mV87QeeC+kArn4YnV/ApYVuWm2JRA+OYEkJhHxdOEZyOGXtuNljdm9qcFqwyeBabFmSkPevlWlHrEmlwqAhzgMbGtcdTYkyWMzsNK0KeG81p3XmanAmeVV2yxSVCnrObpkCIuw4skz7fI9/kkp5/ZXXf48rvL/uj408Wq/EdoJWnVdtPq9s/dGiulHdH5Oga0rC76cprSiXwYd1Dw6D0Cx9Fc3YLX6UdhskVmIbvQYhCwqcBzEubfchaLFVUiKAiURWfp1BmTCTCVs/NkSc0MOKIsaXFtwaIubyhWb4oUVQQUa3LGHxF6ZDLMiXFAK/qSSAqcknqZI1Ld7Rhp1xDnwD7ePhE6teyCBJpZwDpeGeUaNSM+FwfC8gVupoJ1jRBa2kQtR5RlHdub5+PIijm3zfsURzRdF2vNZN6wsHfmHO9eCNM8JtdlCheIthOBTuSo4vEaFPCX4BXy2yTHIHUfD3HDCkB3HxCOw0DP3B1x9fouwPdEQJ+jc1CR80hCRHl6L5SidLiGB5LovL3/v8exZmvxVJtrF0SMOEqn1VxKWIondy6dvXJcSkt69zhSS4lfIf+19GJek/IumFoJSE+LuTMlUr+ahckMW9JMr4q21yzGrIRklKJRu1TjZKNMhj9brjMWWR7wR/lYqTv4n21+OmEo72J+mpbJeDZbs8jWMlaBsoUTmjhoL5euYiGlM2EYMrcZu2h0gnFJS2IXow3ZXvsjCgyj785D8/llYhErnZHTZy8y/2Nbc07SLsaikWvP+zyunuiOOkogFfuUkqukm6FnXeaBH06/HP4/fimoOhelpbQs+7JQ0f9CvprzAcnlTVpOEUlRKHJVG0my7XdZDdb0O3HiBboGgkBK9dNY2ajcE6omekVtf2tPqNIKuwLYktbqES9xMkSUpUuJ+C5Ml8BS5Mr9yuvv0GKtIDRncEFKcZ9aCqVlDr1O+N+YyB+26+0memxZWqoQhFA21rbjpzz3TRjN++k3Xk3PPcO7gE/eKslbxXG4r+qQv7y1DNV83gDfDc44o41iBR03NkAQi552keuUqUzMgrpsPcEKMaSoCMXrk/2uz+oFxNrZcomaRUXG4zlz2i3/OPUgCdYfM7Si2skxwzV5IyxeYZJ21qz9xcOSxv300mFwm2vjtPB0p+/vRufH30SvCTDzLdhIUxnZzqzeeY1QkTkJCrr6zNXxmjC5cL6jlWzpw48BhND/Jlmw5tCuHKb1W6HeqCZqUK8gLI5yssSiNU38lyplC7Wdt2swpB4U3aKs4hJ21MXHkFwNjdYZHdwi+/hTcDa6TuCXuCyJrDyKJzKPUNFqzQtAAOYfjdtzwY8GA/n65Mst5Oc0u9zw6em7aJfTU2kc+lXNCdcEG3K3fvqT0GB3FL8/fw1lgWovTzzeQyz5wX0aTPMHPuov8iy2RddNIUAAxoJE6uTHpZOpMsdSTBBOn0Mr5hYfO+lkiRIlX+5paIFmX8zZtzqppbNE2m/KLb/aIJkUA57wqdd+n11SbvnZB5z128zhWIxc0S8rAZjiuR6OcnB0I5iaToqjsO7L2bohJ+TxPhazs5PhHFJ/hrWEBp8XXioNkjtDakjtSz1+Bztnv5YuWvOddVxWslGHfL/dqQWLwBTkBVB/GQsIe6SAMZm3C01ljcVFUQqV2w5Q4/SuXPrTVbIkIFeoXuoaFwVXGVZwh7Z7JvCvLc4nb5xXJiJL1Y24eul/PtJjmcTS7Hp8igBKua+t9EqFjl2tCqLHT9fUUZSr9JQ6ntUAj+qcX3NK1ytitne45p8d6PYJPYFcWdYbFRcTOmjH9dDPcbbENxrx/9+HwqutkxbC2ghC3B99gJTH5DRPmXDTfRzU+jFydv3iK/FJTUw77f2VXVMFU1rE3wNm6DEoGmDpXFCJfTYFJTHFDQ80sDVlVjPo0hkvc0KCx4Sz5NzsbXo+kELvFdg78l5VdHZ5/OL0+Rbqz9HJ6nV2YIzdMy5d9BOL4HkvcB+uOJwphV4N0Q9A7fRgrnwRM8VimDK05yOFX8VasPykSJuipgHh7Iztg02lPSUelajaVpOPie1otjT1IqLreZy92qZHNYj19/LWYh72Zy325+iniaTvWE3BpbGGGWBbrB+o4tA7lsdGFmhSXCC/lboMvPFxdPFV/4SbjqpiuHesvVQGILTA4YFpkE12Ko5sbGbjUNfrahbP/DCpNNnf9nDHG9ddOcgKEH7GDkTz5ENnbgP5Ma6Mhcr7FhcnSHyOC3H4d8KL6zHiXNBRp8jjQlJ1YA1Z9lt1QcZUPc0YYYMCEDbL5yH1H0IiKi8QKC1G9GWqukRIa4h8JXR4StUjK2qqKtqmi3TMxqbxXtS/7PDXZd/6/MCFjx24XiFeGXNBYbWaqqdkCAdOI7MoIWSQwtHLoWftIHPENHEOL6wrOF+2OILD7E43/NrXdyfPL2OX/r28G9bnn4lk/rX/xLXmi72cft4Jm9wxJtJf/0D4Yr92GO+zBf0hKMy0Kdn1W7IVAptTuk1Hq2UdPslaTsoeTVUbOXRBLb9BtsQfjQZUx3vnLwggvwIIJITzjpyC2HXUSj2UmirefeT1ApNOwa+KDzZSCKbdzx9QdNHuJz/8gHiuuiEQShyOG0rn4HDbH5YRWsxexZ18wjtpkSYBplSHhSQ4JgQRVBIhjfQyPCdyelYgQKQgQyRTli7WFLx3rFaHoIcgMZEUp5V8q7Ut7LSTmTGXRpkUk1wZ1CKYZGY0pUXeAwuZi4yKdCR1xu4uNGjmvyr3qIfvUwg8GBlgw10W1vxtUjUUzMQStqGVzUmFP7kYsgsnIL+3/AnkOlVWEFuKeaXh3sdG0qBbdq9YQeF03Yv5RoMk3UTZTsH0UVreNkjZWzzizlDfKdrWZtEs3BtvXId/mqOfwS0qZWeAb4jifxi7P6a+WqCSkyhXY5tMW/FWAOx/cu8P/NcZnAfz4qF15xL1UdwVuvdZlWn580HiPpAcaHThsPBP0qgMdIFODV639Qz5lLdpCCBb6hUHBXhttzKuVpBcN7APRhTkMuKQvFf15dwo7oDtgxJpRGOitid68Y9eBvC4/MRcb9zDMt1yTsJTz270+wxTTiT99YvuqU4EjR9q/2Sndd6NlgxhZFTrQzxaEXXPY9CnW4nKRUXG4zl1emYWBSg8kJQsXjDvDYwTqr1gcsQ9g7haAR640lLW1ZqAiEJKprZAUlgC/6FXUqhmXEaVRURomoDAFYFmHVFCMdkhFfWVUjMmKbh0nuJDVK3gVkH365xpaIksxH2g+0uOAT9QjudGEKExpT7gWo62CyvoLl6su94DTVl32FyIYFhR+YRhe7IXXlUC696WUO7XYKvNu+O5s6roJpC0x/ehT0X1MibFdB6VcxzTVmNn9aF/NIym1PK7yWVeWqgtQU5uglUpVCNWNS2xoTQ24gD3GdEDyl/H/b0R3FJ+vh52pTSxYaVRmnq2CePkIU27B3hql/m3+tGGkhoOfGSYfi+7ZYac0KB5apKh0EMoumyULTQDqhEIgskrGO/lg5ePHH8yHCL5cvkY6cYEeFUjDhQMiqfsZQuCKk5aUbeow02ysKGYdZVQPnboRTC15l8C8wRQbjDxaf1/mI6mB7qLrME2R9MpAdYMEXmNGiXWpHM1qURdMxNpS1oyUWYPsymzbWotyTO25P2np6O/HBW0/w3+BA1RE4iBDTzU2fV50gbJjuqWjQ4Bsi+dlJH/zL/BIfAzn98HDoGKujlQmNHR6zp3czj1BpTy3etorOaRXnreK8G8RYxXn3HHAV531QuB8c03VrxfMkKXtY1KhPET2QI6jPa1bmT5D2kNEdrV5Vpmi70umVTt8mNvREp4fIhlx1Pgh72KrJu3rJIqMjtNLZig9HlIBaHRYXcaltzqFsCMMQKvV8iCz6gJ0Xc51hvxYa9VxRAe3Z/zyTVSvZ17RbzOwCJWVmb80ONeyQ+v50ZvZXpfT3VwX6+6us/q7OY3Uet4kN3T+PPXdJ+V8ITVSkR3L8fvGpHIzUwpaT5ap/rzFj/NXAEw2uagfPTdvExB3yHzlPHX5kmgQt+Fv7vVE42z1+TScGP1+Ji2aPfs1u6txhR17xe/+P2G5d/51v4UGKAYFqJzrX9dc2/Ouf5Orobt3RHSwT6eGSf4AnqfpXfqyJNrabL7AK0AmiXlYha6ChraoF3GCVt+DTr2Jrj5H0AuKDezfCQzW7oLf3gN8QH9DPYXMJI+iGUgH/wdX48uz88uMpCuhvyU14hcWuTMWv7i35MDq/GJ/BG0BvuLQUVEpd238VZ1/kqdL/OU6iekCn0y/TgmQG12JHhIRclf1os9NpbumcB7X6BCcoVbGANnPZ0pmrYceR5fzmCxJJKuW4rx6Y0qkm3AdVAPvrzgVhqQbHY2RqL23zXvpUjUNaxtIe9g1pGcKla1Tktw156r7qVzpjD9SBJF7sDiSm/+SAYZHt3w6Gas5mbAmvPCX4BeyZImMt6se5Fo3HFtSJtS9bUbiwpMJvbjoofCA6MswlZi6fS9pUvamH7Dm8/lux8DfW88xnUBVLZ0TRO5v9vjqoRvDir7bJP+0aolOSsofBj30SnzxWr8goU6aGTvC3WzqvimHej9Kruik2Y44Pv4nZYzVoM3RK5Wylytm29bsHnXMTbCZfx0qj345u5uttl1IPFZFkunxQKalAhQ9HbFXcpyuM7qnLwUSOZ3Etmi64Eh225gzC4E8R4wMsDHHwa84o0+Y/z1fUnPMZIbJORNqZLppblGGW1dwbe4rKjO9qfF7AYAkPiio9x8lUtecK1Z4x4ZObsnSGLSp/jE7pg63WB2FXrBdfQJXO3yEeMw3SzrSCooJFO2jeFGo3rbCbcpbyt2YaW9GHnJ4Q2yMYM5McMPBDX7jY0cRaGFTjxGD0YTq+1t5fTG7Gpyg2zy3x74wub34bX4e3dMIesJMWCJ8mhlFZzPKh76/FrD1Zht+I2J+x/ORrzzEuiT9ox0LWoBhP7HBMxz7BPJtFYjFzJXrXat9fqNvFHSoXnqwFZntOa1huufGM1if95JvKZ93ZqDUJ/xSpaSv6gosNXBqNBpbKTvVlEaSDKYr/O9cJmJcoDDeJyAqljsFvwE9+jUa01O8x/L6WJ6PuPKO0WERoveMHoSnenwMaXVUFJNp13A0LrFwbDmZ4kMuAOIny1MkSZ1pWlOMJsyBPSlXlOCmoynGSrcohttaq20aMqE+L9mkrcsg7a1T24pVsrNE2FpSVXmJLr37fOCVX79Y7p6oQGBoeZSJgzChZIADGR5XycvJ1Ys4fkf+GwgFJ0MhxTf41oiOLznUODpfPHDzH5j020MKh600/jSl9ICvdskRjDUlochMPUL7NFm/bRVIfpKZ7kt2kfGK7J0uabtIebDj6wq1qCT67Hn2YniJBe0smV+PLU0RtTG6JsA6fnfqeeuOWjM4mV1O4oBtcaYMrXPy4/CiGrHSyhCtn15OrK7hi8E/bbkvee+AuqelV22OotPKqKc+p4vEONZ9hZ8rt4p6fm50hVOnZldOzDTw3jVpfWJJSfWJt/sSAV0xq7Mr/uuI06sOq9WEBfNrKXUtMBdtx3xAq8OuDD6Wh5c7Ln28ml1sYECdO72/m3EX/RZbJGjOhDf628Ih4ATTzTMs1CXsJz/v7EzAJwCpmUpofqU0MJkgzye+5rTGi22xFJedPPoskpDsxqDtHT0OcWFMX8+ctPUdmaytiRJpS8aE+HwIYtQV256taQpl8BiWctVk4u8eOXDbLtQnGKA7n0nnVECv37YScUaNS37lwvBKzqlcJrSFdKaGq0SNEBdLmbzQ9DqR1ljoxmXCDVkuSllCqNOnsoWJDO2P8oNWMWJaS9wjng3j1MppjTWbIqBUv6vJCxfC3Jyopvpln2VGjxoBLywjBLfsOSsdWZ4++nBoDuXvPHkAuHcDeUZRlu20JmJMnpsJ5e6ydTMSoXDMjVglmjYnB/5P1FagSezcK5+mgxlAq7wciDaAdl4PX8JrOjni996e7DmbrK2qBCWvXrLIg1PBLZBDrI1h/ervHwP4Kc0CNWZs/qovqeymkIHtnV6RCjKYwV5+AUul43UrHS21uBQHZsf1ve1y2FnMflCkfbXszy2QrbKCA0C8RFU43RHfYdqGqs4URo+EghvhaeURgc4MXEFWi5nRt6w78Kqsg3dhz5Jl8sSh14kFhapW51x4ld4gKWj/73MpwIBf+iKBPCVB7s23yJ3praZPIghiZGM3hvTg9cvlv1CzNc8wsB/JzJzOEPfBfplMoX/9QKofy9Q8FSZRwU7nIlItsI/1U990kCPt0hDxxDm1ulbTqebSxqTrGivL2vcQybFNv+5RpQaKnZI0P+WqKMHaIDjfR4BJaCpf54TREa9254yqES9EMI3+usOAHYMx5J9T/Zwz5lmmZJrLTXFu1jUDVVtpGazapIm1DSQvforTgf/mVWw6kyXoUVrA3dbM9AQPtAPbA8RpKDlZycBtZsVc5OLvfHDKCoKvQlvBuSM/IPWDb+3YmacmgVd1Mrjnc43ssXj6ju0U3h0VqG7BMw5txpao+Cp5znUqQoSMdMb5oXnANS3ddvLbdIdKhU+gagXT3HHkQEMEvWebadLnSdYcf5bUf9zTv9io/vw/4WBi64sDwdSuE/X8pTa6VmlzAqrIG9mB4H2sTvnlTxq7+5k2+WR3uJeXK+BeQQblYUU6R9lBT7ohmnJuumJFen+icwvo8rzzx5l7xKRUfVcKqeGHeiaZXUC+OEH6szHFQPs4XloZo9sh/4/9BrLTMllhjBqkF8Y4vXfHWYVB2IK2B90+ZEjtxAFX08O7Vr9uittlN+XXDL6T0AR+M7+EJv/9ie7HdpgLESaqmgO7fUuYPdaUROflQx0h6Fwny6qQMynxU/oI+6XgYyEHXeH/9OkJ6qtqhOyLpk9G7uRbSgYB6oOzDtsFb1iIYX1dtiua4FqEMA6mKJe4MixWszZgS6tUaQ2TuM4aOQENCfjUpxLBzL65+sPTl8yC2wg8GDyIzhrG48EC5Crpxy1Swhp6iioB3VA/rlCzb8WBbf5erGtscJ+qdNNsU1HUKKKvKybWLXy34sVF1YcdpegC5itdXilpDihqfiVr3tbieIlXFL9vmTcrw2ZMXrCk6uOJUPdhJD314+doOrmgKSVGp6FZp+3l/86kaOpwlVPButTWFC/KA5qaWAVytDBOWGpzyCl1tFuRe4O15gF/2+21XiF+iqInUuJeqelJk4/OHau5mbKlwP85hbIUWtkT6FH0giGEXHeGXy5fodsAnIwwW7C2f/ZazhAnL3HxlWsZcd/DtQNLor5lHbC8eoZo+d8bypxoUb7T1t2X6E7/Nb0/8NtOduFt6usqU24+irvKJVD5RG1lxoLz6hLwspKIdq88J+auXdfqaFG9TqEnk2yyu+QKukGvrlyBw9SV/SfRguisuh4rJiqoM5A2XSp4bkVtVEWjbllwkeCrZ6FuUjVSq+5Omuou9sjL6cSoF/r6E0s25taNE2tfivGmxNL4KVY7701XwPZiBdkrvsDSxzb9RLK9uhpSQUmdYd7CDBM0QMZcvEQNRfv4inSHTZejmp9GLkzdvkWEuMZMGVNaZYs/Rkt+K3LqjYzJfIvVZU8UYGlH0LiXt7esyxtDX+cbQ18oYqgR+/oHqzNU8VovvaVoVt9TmuKUgEaBqKlGcqE/KRXPJRJuwgYMFILQN4vIJRfHV1SbZ9gt1pTZZcb1Qsr0PR5QKMBB5A88Ymq+o6ZdZoPwqFWPk8QKFFLfklvzBLOr+gdb6HWbodgB34Z2QDRWDgPh2gHQEUtZMZxg5noVPuQiMTIaOocYQ1CByHn0aKEB0S6C7k4VfBE+0qWWJnhVQVNZ/Ln8dvluZokkxkKA1X06mHdHwlxgCzS05AvKh/yJcEOev+hye7K/cgvAFTiVQ3dSS8GHkTJTchGmVnbk9VpYiqV6VmGg0FUF8CuXP+3D44U764xYf80o9Kgd1f9UjlX3fQDllO7fpe6GPKU7WJ2APXU6ZS0vVQ58iIgX93sKeArl115CnYJqOsaB0uFO09Eq4lew9dRIHUCebyXoKbWJL3Q6uqpNS1qzRzjopI+yY89VAYtYI7gyLDBt6NGabaSMfUeVTa5dPLdZYtawGHiPpYZJBI5WG4aOqgHAwvIfovjouk8PBR+WXxTvOZnHklR7MbwaaX3pQ9QI93dILNCPQHvIw++v/AUIAZ3A='
