"""Search (node/services/search.py): an index of proposals, comments and decisions kept in step
by triggers, and the rows already there indexed.

SQLite: an FTS5 table (Porter stemming, accents folded); its triggers call townhall_search_text,
which node/sqlite_engine.py registers on the node's connections. PostgreSQL: a table with
generated tsvectors ('english', accents folded by translate), a GIN index and trigger
functions. node/search_schema.py holds the index as it is now; this is a frozen copy of it.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
CREATE VIRTUAL TABLE "search_text" USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER "search_object_inserted" AFTER INSERT ON "object" BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name, new.summary || ' ' || CASE WHEN new.content <> '' THEN townhall_search_text(new.content) ELSE new.source END);
END;
CREATE TRIGGER "search_object_updated" AFTER UPDATE OF name, summary, content,
source ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.id * 2;
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name, new.summary || ' ' || CASE WHEN new.content <> '' THEN townhall_search_text(new.content) ELSE new.source END);
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

INSERT INTO "search_text" (rowid, title, body)
SELECT o.id * 2, o.name, o.summary || ' ' || CASE WHEN o.content <> '' THEN townhall_search_text(o.content) ELSE o.source END FROM "object" o;
INSERT INTO "search_text" (rowid, title, body)
SELECT p.object_id * 2 + 1, o.name, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""

POSTGRES = """
CREATE TABLE "search_text" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "document" TSVECTOR GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate("title" || ' ' || "body", 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ', 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy'))) STORED,
    "title_document" TSVECTOR GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate("title", 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ', 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy'))) STORED
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
    VALUES (NEW.id * 2, NEW.name, NEW.summary || ' ' || CASE WHEN NEW.content <> '' THEN replace(replace(replace(replace(replace(replace(regexp_replace(NEW.content, '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') ELSE NEW.source END);
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

INSERT INTO "search_text" (id, title, body)
SELECT o.id * 2, o.name, o.summary || ' ' || CASE WHEN o.content <> '' THEN replace(replace(replace(replace(replace(replace(regexp_replace(o.content, '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') ELSE o.source END FROM "object" o;
INSERT INTO "search_text" (id, title, body)
SELECT p.object_id * 2 + 1, o.name, p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id WHERE p.decision <> '';
"""

UPGRADE = {"sqlite": SQLITE, "postgres": POSTGRES}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise RuntimeError("this migration cannot be undone; restore a backup instead")


MODELS_STATE = 'eJztXW1znDi2/iuqvh/iVHVSjpN45npu3aqO3cl4N3F77J7M1m5vMTTI3axpiUFgx3d3/vuVBDRvgkZ0g4How0xs0BH4OUI67+ffow02oU1eTwwD+8gbnYF/j5C+gfSH7K0xGOmOE99gFzx9afOxemLQkniubrC57nSbQHrJhMRwLcezMGKDJ2ADN0vogsc1BoaOALFWCFjoDGAEgY0N3QbX0CUYAToPdsdAB45OyCN2TbDWyRroyKTXXGzD1+yRJjboMy20amR2H1l/+FDz8Ap6a+jSZ/zjn/SyhUz4DZLoV+deu7OgbaYgtEw2Ab+ueU8Ov3aJvI98IHvxpWZg29+geLDz5K0x2o62AlBXEEFX9yCb3nN9BirybTuEP8I5eNN4SPCKCRoT3um+zVjDqIMXiK+NNO1qNtdup3NNG+XYFlEksA4vGRgxltNXJfyvX7FXeHXy5t0P7358e/ruRzqEv+b2yg9/Bo+OgQkIOTxX89Gf/L7u6cEIjnEMasQsjTErj+/5WnfFAOcIM1jTPyKLdYRsGdjRhRjteN1voR01BfZG/6bZEK28NUP4/fsSaL9Obs5/ntwc0VEv2SMx/UyDz/cqvHUS3GP4x3jTbxsSorHvQYz2FPkbjvglfTUdGTCHfGaKFnEP9gJJ9Edfpl8+TG/Owp1kgb7MLqY3k/mMXaKbH31LTK9OLr5cXp0B3dxYKLsNVeHWm9MKzHpzWsgrdivNKgq/55O6XIqpW2QQ3YOtByjLoMn5/PLr9AwE1At0Pb26uLz6dAYciEzKgQW6/fWWXZxenAHiE3YZmt1gkkU0h0DfxOhpk2fVB0w/Eh0VHBEZ0gyflpS2KUZtrzSwiZUg/GE2+8xm3hDyh80vXM4zUP/KvtWjN5wDdJDlweQ5EuP+L2whDWFPsIvN4beCQzlFNIDzogTq+fRv8xTU0SI++jL5G0d38xTe+Ty7+hQNT3Di/PPsQ3ZHovs+fUUNOtgQHNaFwlCObrdcdCjsjzstF8XQ0lVp3VmGzt6DaARCpOleHuILCo9nbaAY58JJMnib4Syvox8qoB8KnVLgNyiXli39yy/T2/nky3Vq/V9M5lN25yS19qOrR9k9fzsJ+O1y/jNgv4K/z66mHE1MvJXLnxiPm/99xN5J9z1Mt5hHTTeTmESXo0sp3ts68TSm2GhWHa4LyBW/u8xvw4UM9xqsTlMegMu19tQm1U36B5ozZD+FK7AnbA8/llKuc/uEJmVESJIc5sjsvS2BWWfu7hOmBHZhqRv3j7praqk7CSEdPVBBUqBKfQgJP/71Btr82BRAHZrOLvkkvd0546vxpyUww9D1Dr09kboOJ7thc/VwE6qEWACUttFNgQrSJFp9XF5/+FTpYmC591CwAcrA9QubioHl0CcO9XN0qabk0tVFFxm2H/aF7IbPNlCoPHwP0Z4b1pzNMaSNih2K+AQLD0MuVOTxmiE4x/R/OauiGLJJNEuvJJAiwOhlV3/c+nxSghf92+lfDAND1Pnk9nxyMR39mRI70lCzW5uTTfaKjvQV/4PZq7EXiZG0qGTxNBK668J743J/XWLUbocdAhEBsOjPoReN/8kvCMC+t8TfxuAeOh7zutkQ6ARY9Gf6D4HIEzjpDjHjgR1zH6zV9+Kb+++Tk7dvfzg5fnv64/t3P/zw/sfjrWCdv1UmYX+4/MSE7HFSQdrtwfNdS8ZvFw4/jPX1eeFPe+uO3/1YxV1HhxX76/jNtGGQIySBbzS+PfN2axC/PakA8NuTQnjZrTS4ePkvaHia5BJOUzUFdG4pt+V2bmghM3eXv7Qto4abbEvXoo8swr+3LjL6Hv4GIoGR8S+3sysx2EmarHnRMjzwH2BbpMc6vQhyhka5qyzrFRunjYNsgqyrjC9Zsq5l5c3StmPnbfXoVGbeRs28z31sN2Ho3anBfsQutFbor/CpaR22G3vZobXYnFk9r9YeTOPF7kis7gYMKdV1wyEVIlMDPRS7wIUb7EEQqdPX/jLQTkUBp9WIBOrqP0ZrHZlBUJyJN5Qxo3+q2NJnjC1Vmukzaaa7oxP7oKWOrqc3VLI7CwPMF+jTzezX6zPwycW+s0C305uvl+fTM3AL3QfLgAs0ub7+fHk+mV8yoonj2GEozgLNbj5Nri7/Ht6auSsdWf+3NUrLM7QSO0uYKdDN+LYnr5ptyRrTzHIfTv+DF+NzoureFFO0Zm5ob39qIs49PIAlII4pFMSVIOb/SgAcjR9A4G0L6BJ/s9HdpzzAxeHNCZIBYNx2cHNxSowY7WfIf2lnOR/ezO67AsmiTBAXSRT9B7Yxyzpa4m+yTowUUZfF8I6BHXizpV1GKSq1siuCTSig0NRqLXARrQK+IvB32LbxI9V7ZVHPESrIpSCn71EP8gShgrwi5PfwSeipKcY6plBu/2oYB757jQHnQEGKbLE6k6ccwMJuW6vZ6MjXbftJ0x3HxQ+QaNsdWtLYt2Mmlb0sYQC8g55RLzYgTany/Lqc5xc4XOtwOU2puNxlLqtszmIJY7hhPr5j1uR6mlJxvStcF3zs21wa6YzTMB/C2jfpNJkA0rNlUCl7S0eECpDsa9hAZLLI030Bi+bp7aFYDlgkc2suftwTqo98qqGurNgqopAqRyqwkNJPxt17u7pkU03pTIPdsILcjz1hmvFJhgqR42J67Or2vlUEwmkGupFTIcngdZr2Q+kmnGaoiynKhN+/zsKgs+AdekJpD3jvIidfcaUSJ71ZSlJh7KkqqVEFZDGWUbZ8FQl+O9UQ151rPdC/iBnpDwOWh92/wirSQ1/QqpMbwRAoSo8I0dmRIRExZHeWxHwNQchFQIkAvksn8P/EMvURfIAusKH+AAnwKAWBLr2ST5/Ye7Y9ygB0IvNq0AkVia9d2pmXJx1E0FEb/jwJC5Qq/CK3PY+fs/DL1lQl2uuTdqySzT41rEJK3BVLabMQoHK1/QQ8zPolhIoW3Yp1DxB/tYLEI3SXfgQe/Z7BHXZ5twW6l1seq9gS6C2i3LkDz65qwvS0JkzIxTwLSsL1YpJBHAyZwvPHVXK26Kji0vPHuayt8GOCdDr6JcmcxnnKQWDednBN4L0gGhVeiXC5Fwueecr2Mv/fdFr8TDfAqJ1huiVuMWgs7FcxksN3lO93MTk/n17PWbsL1mzFoa+5QBfT88+XV+yaCQ3bQrAjHTBcqBPR2i/efWIKFdBXc8+RjRFOUw0A9naCV2P3tHSYR4ZUxXB1J6xDxXANP5qnUqmm6BNditMAdkhvScJawlvHPuhDi2+R5i/EtkwXzxAOqSRWK3p5rr6lLANSZMOxi7cAfknVMicRz5BmhXThMonQiK59B1UNsZk9QGyLLdjMD4BwVSt3x7bwymbu3AGWApi+Brj69fNnuQJx2W1nb1dD/TCpXvgaUrts086GDzY27kcCR0NwY1zmZFhuh1RwMIRV87gjBRwtn4BlvmTV9PSw9HtQZof9QiCIw6SBt7YIQPThdIY7n0Chf+Gwkwtr+N3TRRP89S69rCr4PavDOWJG5fTccPwgrNlNG+7CFS4Bb0wxQICbsiEp+2ir9lFlyile78My5ewVFnM4yeoC2tYDdIURe9t7pfKVmRy1U8Si8nPcbsfD4Hp2O2f/siCKo6DozUvAczp+Ao+u5XkQsZAMFmdHZ0YkiBcPwjFYVDWwBC19mnqIUOSKHhS5J+KSPVnp6x+xWw/R7ZN+qh7cOOzfYKgKBelcKEiWuZU9Vhk6JXGoenBdBJuqmlIydDReFZmtVga1bzEgdKgPI7ZXDgH55dfpryy0I6BmwR6fL79Ob4JoDy4dsKsfJ5ef2aU73bK7Ev4RHsGCvKNi91mCpD3nznGzx+zB3GZZwUZSixGQD69/UE80l0qxB8y4SrVOH3mWwDdUzuwsrYoy6TSndeJp7EzyZXbLDJWKNMhvmRwi6Lqi9JZiM1uaSpnalKntgCt8WKa2TFW7QB6tV9cuRavOqy6fV47+ZGPdlI/fStE1JeEP05RWFkAUwJrnhXR0S2SWvo5n7Bc/KkcRpVZil3ogZllQ4jxIcGm3D0FLrJIK4RootvLrhOXmW4Tb+qEJdGSyQApA6NJit8aAeHShmQDTtcXTNnXb5hZ/bjqEnHyFWbQFFsRuNPkklSfa4R1t3BvnwHfQs5F9YvLZQ2kq5RyoDPcSm1IdvKLxg4BYqaO9YEUftBKJUI+corp3UctkEEc/+b5nXTRJ0TasliqQaOM6qsWC7F08pmooDBUQt9VeqTCJmQw4Bo+Wtw6ERpMVF2E/Bc9PBLaw8BSd3EOzMALmUHMLA1+iYr58fQY/w/0ijpXo2pboqpqLNyuo9s3v32jth5vpX6bn/JoLWdJIV5z//RK5Wv1KhusAiE4quZzpDNWQknoP5sfcFvevg+xh61gOANkSU3pK8GonU7RrCFc1oWdW1+5E3K0gq7CtiC3soH/iZxamKlDhfg7DV4sVuCjAdbf69htTkR4huEdMcVpinypMUYpnUBL4BQGsTv5aX1o2VarG3BnAtC3Dcg3f8sCS3r4XFSI+8Nx7eBiCnFQZXSGmGJ66cLgY4WLVjL0BNHyqiEONhcr6rsgEVHieFpGrUNWcvGK5xIswqtPMUkCvQkK6ZnxNFZShamq9UNU0peJyl7nsI/2BfpQc6BybS5sEZyhVU2CJpsBBoK9vGJCQGpupgFx9ZV37yjqSs5zo0yaQ8dNd3Iol/bhxXMXU5XwQEJfAeaQPTLYJiYRx5kJhvweyuskeHMQAVQkw2mtuob/GhYblWFG1/WQMinLa9MJp0614o+e2sbXiyKHv4UcNKtJw/+V2dlWkAMc02TPMMjzwH2BbpI9mzRKAGRqpkysXEpONfskcSWyCbEgM3bAgVWPrOGgypMpD0xHRooqHZntOyTkSsmTKk7Dbk5ASCZS5u9TcnV1fXbJ3c5n30oObQoGY36wgD1vRuArFEll4Gn1BMyu66q7L9t5tIPwSUpkVcuv0yfEJD5inr2EzSpuuExcsn1gNROwKbeENPme3XTxRsodyXVXpUYJxvxwWTXWWiIDjUNVBPCIcoC5y+q4C5KfvCgFnt3JwY/mmKUmiAcLccJIJa/Up2tV35pnEhAp0iTKjkXAlucpzhAOohNAO5IUJuSVtcGOSQazttnN8vt+w4IvZ1fQMmBhBVQfsuwiukK5no0rZ1N9XlKH0uzSUOi5m7vJafM/SKme7crYXmBYfgpgPgV2R3xmXGxW3Y6r41/lwntAKbAvd/xREtGJegZtA+46V3UDwAbqhyW8MMP2yeev1258nr07enwLTYr2hhR72w85+4LId34upsLFuKwFrZHTHmGJwhr8mbFA8NMvFoqi6ahpMZooWBb0N3CyDfBkZNebLlMW+nYGAeoG+zC6mN5P5jF2iuwZ9S0yvTi6+XF6dAd3cBFHvz6/MIFykZYq/g2j8ACTvFmp6syewJlwSW3iSpD1V8U2nN/JEvK4cmO0D2Rud+5tjUaGzhjaQplS6QNd0gbSy/4Dva+r6SUrF5S5zuV+1Cdr1SA3XohPxTrale45O1VnfGfsWY5YHukbwm4H9PoJcNfott8IO0HL5cEaqK/rPLfS84C/NWaqSt8dl5irWZFcjiZGViniFBEBHgRYIjLWOVpCAOxdvuJHpES7BEYsPeOU7XHccA5sO8elfs/BPjk9OX9K3XowedNuHCzptcPFPcV2vZh+3h1nrHgo+pZJ2t/CA1SIHaHspNnVxxuWhLk5J2BKofIQ98hF8x6wpk6UplUzWFZlMIIpvC0x2wPcyW7JyaaITLbxTepjheEyFYG7KUA8iDwRU4OgKe3TcxPUsCvkY/OJDwgaH5wcrTuL4S7px8BxFF6yxbQKdzuI8AXwniuI+/ANU4fSexmur6pONRvbJBmUPOBb77UkFgN+eFMLLbmXa0xKNp2ML9o+y0hJJssbqSuSW8hb53paVsJDmQsd+oru8fE/gHGlrbWt7HhvMz+pv0sHYGTKFdjW0+b8SMEfjB+evfX98XAFfOqoQXn4vE3Ttbza6K9XIIkEyAIzbjkYNBX0ZwBMkCnD5tALsu4ZgBylZ4FsKBbc03L4rEP7KtBeR0NdHoNs5DamkzBV/Q17CjulaLN0WSSO9FbH7V+Nm9D93PjJ4IO/St2zPQuQ1e+z/PsMW04ileWv5qhPZn6EdXkpHf43LeY9/h3wK3fRMD4LLgae8Zs9pqLjcDy6vLdOEqAaTU4SKxz3gsQt1gqXK4ucIB6cQNGK9sYUZ86WKQESiyjdLKAF00a+xZOueFI0qt7c75DAALI+wqrWXiTZMrSzZQnuJzcNC93u2Tw0CLT7TiQYEd9pbrK8OgtFcXw0VIhc62PWIhu/2A+raxVQe0ascQ90U4cph+sPHTFURtQuSQekXPs0NJA5rZTPUNeWt4Wbf3s5zNscgkZKKqkscsBuITLEtM8J1huAc0//tRneSnGyAn6uDbVEUizRO1+E8Q4QosWHvDdPwNv9a4axclioMaY0krV1hrZodDaxSVySMOeVtM7hQGDVD5+01jn5fu/Du95djAF+vXvNOe8GOCjy8HchSQ14QEK0IYYGRhh4j7OYRR/eyWVULj35EvnJe5fAvsRqF41sLpep98Gu4Pcgu8xTZkGwZLSz4EotHvEvtafGIEx56xoaqJo/UAuxSb4FYuy88tEPVf+eZ7ekVsyonYK2TNR1OD06W5xjljHjYsQyWDUIgs4DRo5R3d35l6ASa4NGiK8f3eArki/96IUpCOdS0O45kjpI6kjuzQ5UdyV2Lvn2+I/lNJQfOmxIHzpu8A0edx+o87hIben8eX+uEPGKXmf2gMDc0PaD0XHbCoZq7HVvhbKbK7CsWicB13LgMwUa/Z0UI6DGqhyXzwOMaswsrzE9PywXRA8FRUHyRV9h8KTqpm3mIKtqpinZ2Cd6Gi3Z2qCJcR8+BQQQl+fVqgPuq/Hc/+KuKwRXvoP0sPFKlGJwe1BSTjMlKEQ1JcTpYmVRVZK/FiLe4Lt7eIW9VK+x1bf1WDnpLfbpilVO8jluFt2MLuCq63S5gyGMoRLp8GFtRosJHI3Yq7vM1BA+Ylw50fZtq0fiOKtFR3aXQGH4GCB1gQ2YN31BGWQ792Vhjy6Azso66j2uIWPNdw8YEkrzm3thTVLWnDpscxyU6fsRgAQ/KwviTZCqUXyKUHyI6uSVyauxQ+RN0Sh/stD7IdsVa6mCSUPG48zwmGnM+ayVhiGU7aNEUajeV2E0pS+lbE42s8WNBwt/uzke5SVpM/tPvPOhqfC2M5DgxmnycT2+088+z2+kZSMyzQMGdydXtb6xBUnBLR+QxbLL07C2QlMWsGPrhWsy6E2vwnYj9OctPlaw8zP+gPVNfmGI8c6IxPfsEK+UeUCV63/ygr2Fjt6HAk7fA7I5siRI0Go9redZPvqmolr2NWrPoTxGatuIvuNzApeF4YKWWHIEsAnRmiqL/GjrrkoExG24hHsmJXZPeYD8FycZgpT9A9vtG3HVj7xmFIaOR9Y4ehBZ/fwpofFWFkXbruBuXWLm2HMzxoJABSRLlqRPoXl0LzW0XzEy6TJXY3JOS2NyTfGwu31plt40E0ZAW7fPG5YpzcaW9eBVTcbvGgqrSS2Lp1S8KouTq/bLtZYXAyPAoEgETRskSATA5qpKXk64Ty3gCwRtyBySKGs2AI96GYcw8jy40oPUAzaBxWpSBO8ePaK3bNk/FFYQmN/EA5dvs8LZdJvXRDdnzBbtJNbNwTN2iPdh09TtP1hJ8cTP5OD8DnHaBZtfTqzOAHYgWiFuHL84CT725QJOL2fWcXdBNqrSxK1T8uPrEh/A+hfTKxc3s+ppdMemn7UCzIzbjwF1S06ummmf3xqumPKeD5rEL2c5UWKKzuCtCjnAAJTrLGNtEcwQTGpZZs9JxklJ9Yl3+xBiviNDYVfx1JWnUh1Xrw2LwaWtvIzAV7MZ9S6jArw8+KxAhdl6W9MoQEXejaQZ73mCaZgRVOjWCdIessVQ7EwHpXgzqz9HTCCceoCs+HQqtEgmK9ozKbxqC+9BukCU2pdrXRePVRi/fSq3G/q629UY3ExXKV7zRDDiUz13pyCLcESOXpimgVImaorhmLvLUDJkUUQ8I5Va8CiputYue+OT2kWdHY506OvYdVI4nzG+2BXm1hXvPAUCuHLTZU5RFu610+rKgSv6eYRAyBfK7JjpVC8EOtNJ9Q9XD+IWvsY47RLB49489oVKtP6oiFWHEW4AMCSgV49+vGP/M5lYS5ZXY/3YHe2kJi2CVmpTbrscgJAzqTkTTjcE9dDxWKtKGgOBoEAF0rTwBpkazF+ClJwy8cXSX/SoqS9nYc8TpAYnQN+SzapcqHaA7WsQYlFSVDriV40Ah/DHBkKKqD2au6F+T+gH5c7YKg+a7Vp4DxQkZOcIBuCTaaWOirN7FDBiu1Xsr/Ugn5aQJh3SEPHNiTmHpFfnknOoN4LrGisoJOull2KWy+RnTgkBPyRsfitWUsNWpmxxcQUuhMj87DcFGd++pCuFhsIQgmCvKImYYU95x9f8FAYHpT6SJ7DXXTm0jVLWVttGZTapM21DSwvcoLQRfvnQd4yzZgPy2B1M3u+OR7QawLTvElRys5OAusuKgcnB+v2nTFd5XaCt4N4Rn5AGwHXyN9Kxk0KkS6TdQN4pqSW3vjcuUNjc5qoK29tm65xXKWXI/QpT1Bgxz/YNFOAbLJ/ob/Y8F+Yh0tBozCDWze7pw+FtH0UThV8CsqkpF68z5OS5R0SQt5we1l3eox1lT9vLoC6mKbzR+gKWiDl8ZIbHbSECcphpeu1zl+mkd/+HacvjJLtvqKyYZkqLbXC+qUHhqKaS7a/BW1QKS66pLHpwb7r4YCcV/fmeH8L8dU0H0D1oLvyDgiHcaduEGexAQ6D7wqx9tffUy9KcEAWChN2aciAULBf+wrZdIPWjoKaqaWE91hF7JWT0PsAl2Odl4piSRimWqCHWdSkyqBFPtHPY7emzILuwkzQAgV4qaUtQaUtToTNh+qMX1DKkqcdblEmecWb44C7js4EpSDWAnbfvwCrQdKGkKyVCpiBZhH7tg85ENF8oTKnh32pqiBdmiualjAMvltkOhwamoesB2QR4E3oE79fPfb8fc+slEZqFxL5PpXGbjC4Zq3nZspW5RlMPQjixsqZBp/IgAgR44gq9Xr8FiRCdDhC3YBZ19QVlCuGXOWFu2aeguXIwEHQOaecTuhFHVPao3lj/V6WirrZ9WaXR0Wtzn6DTX5qhferqKjj+Moq5iiFUMcRdZ0VIuXUpe5lLRnhVnuPw1yNo8TYq3GdQE8m0e12IBl8u19dMOPX1FXxI8Wt6ayqF8srLMwqLhQslzK3KrzMGubcllgqeSjb5H2Uiltz1rehvfK6XRT1Ip8A8llG7PrT0l0qEW5MuKpclVqPLanq9qX2sG2jm+h8Kkq+BGuby6HVJBSl1C3YUu4DRjQDy6REyA6fkLdAIsj4DbnyevTt6fAtNaQSIMqKwzxYGjJb8XuXVPx2SxRBqwRsYYGlMMLl3q9F0VY+i7YmPoO2UMVQI//UB14ml+vdanWVoVt9TluKUwEUA2lShJNCTlorlkom3YQGsBCF2DuHpCUXJ1dUm2/Yo9oU2WXy+VbB+iEZUCDHjewAsCjDW2ghIAmF7FfIw4XqCUYoEW6HdiY+93sNHvIQGLEbvL3gk4VP7lxIsR0AGTspY6gcD1bXhGRWBgEXAM7rAL4AN0nwIaCwF9gQh9vA1fhU90sG3zOtWskFzwXPo6dLeyeK8xRgI2dDlZTkxDX2LMaBboiJGPgxehgjh91ZfsycHKLQlfoFQc1W2dgwBGykTBTTatsjN3x8pSJtWr8geNpiLwT6H6eR8Nb++kP+7wMa/Uo2pQD1c9Utn3DZRQdAp7N5b6mJJkQwK27RKKVFqSD32KiRT0Bwt7CuXWfUOewml6xoLK4U7x0qvgVnIO1J6RgTrbTjZQaFNb6m5wVZ2UqmaNbtZJmUDXMtYjgVkjvDMuM2zo8Zhdpo1iRJVPrVs+tUQztaoaeIJkgEkGJ+/fV1HD378v1sLZvUxJEfpRSSAcDh8gum+Oq+Rw0FHFNQiP81kcGHmSDcASJKr/l2T/r5xA2+Zh9uf/A4C1tPQ='
