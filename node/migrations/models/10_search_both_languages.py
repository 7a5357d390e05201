"""Search finds a proposal by the words of either of its languages: the index's title holds the
name in each of an object's other languages (`object.translations`) after its own, and its body
each other language's summary and content (tags left out) after its own.

The triggers that write an object's row and a decision's row are made anew (an object's row is
also rewritten when its translations change), and the rows of objects already written in more
than one language are indexed again. node/search_schema.py holds the index as it is now; this
is a frozen copy of its triggers. SQLite runs the script in its own transaction
(`executescript` commits any open one first).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
BEGIN;
DROP TRIGGER "search_object_inserted";
DROP TRIGGER "search_object_updated";
DROP TRIGGER "search_decision_inserted";
DROP TRIGGER "search_decision_updated";
CREATE TRIGGER "search_object_inserted" AFTER INSERT ON "object" BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(new.translations) j WHERE j.type = 'object'), ''), new.summary || ' ' || CASE WHEN new.content <> '' THEN townhall_search_text(new.content) ELSE new.source END || COALESCE((SELECT ' ' || group_concat(townhall_search_text(json_extract(j.value, '$.summary')) || ' ' || townhall_search_text(json_extract(j.value, '$.content')), ' ') FROM json_each(new.translations) j WHERE j.type = 'object'), ''));
END;
CREATE TRIGGER "search_object_updated" AFTER UPDATE OF name, summary, content,
source, translations ON "object" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.id * 2;
    INSERT INTO "search_text" (rowid, title, body)
    VALUES (new.id * 2, new.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(new.translations) j WHERE j.type = 'object'), ''), new.summary || ' ' || CASE WHEN new.content <> '' THEN townhall_search_text(new.content) ELSE new.source END || COALESCE((SELECT ' ' || group_concat(townhall_search_text(json_extract(j.value, '$.summary')) || ' ' || townhall_search_text(json_extract(j.value, '$.content')), ' ') FROM json_each(new.translations) j WHERE j.type = 'object'), ''));
    UPDATE "search_text" SET title = new.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(new.translations) j WHERE j.type = 'object'), '') WHERE rowid = new.id * 2 + 1;
END;
CREATE TRIGGER "search_decision_inserted" AFTER INSERT ON "proposal"
WHEN new.decision <> '' BEGIN
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, o.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(o.translations) j WHERE j.type = 'object'), ''), new.decision FROM "object" o
    WHERE o.id = new.object_id;
END;
CREATE TRIGGER "search_decision_updated" AFTER UPDATE OF decision ON "proposal" BEGIN
    DELETE FROM "search_text" WHERE rowid = old.object_id * 2 + 1;
    INSERT INTO "search_text" (rowid, title, body)
    SELECT new.object_id * 2 + 1, o.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(o.translations) j WHERE j.type = 'object'), ''), new.decision FROM "object" o
    WHERE o.id = new.object_id AND new.decision <> '';
END;

DELETE FROM "search_text" WHERE rowid IN (
    SELECT o.id * 2 FROM "object" o WHERE EXISTS (SELECT 1 FROM json_each(o.translations))
    UNION ALL
    SELECT o.id * 2 + 1 FROM "object" o WHERE EXISTS (SELECT 1 FROM json_each(o.translations))
);
INSERT INTO "search_text" (rowid, title, body)
SELECT o.id * 2, o.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(o.translations) j WHERE j.type = 'object'), ''), o.summary || ' ' || CASE WHEN o.content <> '' THEN townhall_search_text(o.content) ELSE o.source END || COALESCE((SELECT ' ' || group_concat(townhall_search_text(json_extract(j.value, '$.summary')) || ' ' || townhall_search_text(json_extract(j.value, '$.content')), ' ') FROM json_each(o.translations) j WHERE j.type = 'object'), '') FROM "object" o
WHERE EXISTS (SELECT 1 FROM json_each(o.translations));
INSERT INTO "search_text" (rowid, title, body)
SELECT p.object_id * 2 + 1, o.name || COALESCE((SELECT ' ' || group_concat(COALESCE(json_extract(j.value, '$.name'), ''), ' ') FROM json_each(o.translations) j WHERE j.type = 'object'), ''), p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id
WHERE p.decision <> '' AND EXISTS (SELECT 1 FROM json_each(o.translations));
COMMIT;
"""

POSTGRES = """
DROP TRIGGER "search_object_changed" ON "object";
DROP FUNCTION "search_object_changed"();
DROP TRIGGER "search_decision_changed" ON "proposal";
DROP FUNCTION "search_decision_changed"();
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
    VALUES (NEW.id * 2, NEW.name || COALESCE((SELECT ' ' || string_agg(COALESCE(t.value->>'name', ''), ' ') FROM jsonb_each(NEW.translations) t), ''), NEW.summary || ' ' || CASE WHEN NEW.content <> '' THEN replace(replace(replace(replace(replace(replace(regexp_replace(NEW.content, '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') ELSE NEW.source END || COALESCE((SELECT ' ' || string_agg(replace(replace(replace(replace(replace(replace(regexp_replace(COALESCE(t.value->>'summary', ''), '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') || ' ' || replace(replace(replace(replace(replace(replace(regexp_replace(COALESCE(t.value->>'content', ''), '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'), ' ') FROM jsonb_each(NEW.translations) t), ''));
    IF TG_OP = 'UPDATE' THEN
        UPDATE "search_text" SET title = NEW.name || COALESCE((SELECT ' ' || string_agg(COALESCE(t.value->>'name', ''), ' ') FROM jsonb_each(NEW.translations) t), '') WHERE id = NEW.id * 2 + 1;
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
    SELECT NEW.object_id * 2 + 1, o.name || COALESCE((SELECT ' ' || string_agg(COALESCE(t.value->>'name', ''), ' ') FROM jsonb_each(o.translations) t), ''), NEW.decision FROM "object" o
    WHERE o.id = NEW.object_id AND NEW.decision <> '';
    RETURN NEW;
END
$$;
CREATE TRIGGER "search_decision_changed" AFTER INSERT OR DELETE OR UPDATE OF decision
ON "proposal" FOR EACH ROW EXECUTE FUNCTION "search_decision_changed"();

DELETE FROM "search_text" WHERE id IN (
    SELECT o.id * 2 FROM "object" o WHERE o.translations <> '{}'::jsonb
    UNION ALL
    SELECT o.id * 2 + 1 FROM "object" o WHERE o.translations <> '{}'::jsonb
);
INSERT INTO "search_text" (id, title, body)
SELECT o.id * 2, o.name || COALESCE((SELECT ' ' || string_agg(COALESCE(t.value->>'name', ''), ' ') FROM jsonb_each(o.translations) t), ''), o.summary || ' ' || CASE WHEN o.content <> '' THEN replace(replace(replace(replace(replace(replace(regexp_replace(o.content, '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') ELSE o.source END || COALESCE((SELECT ' ' || string_agg(replace(replace(replace(replace(replace(replace(regexp_replace(COALESCE(t.value->>'summary', ''), '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&') || ' ' || replace(replace(replace(replace(replace(replace(regexp_replace(COALESCE(t.value->>'content', ''), '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'), ' ') FROM jsonb_each(o.translations) t), '') FROM "object" o
WHERE o.translations <> '{}'::jsonb;
INSERT INTO "search_text" (id, title, body)
SELECT p.object_id * 2 + 1, o.name || COALESCE((SELECT ' ' || string_agg(COALESCE(t.value->>'name', ''), ' ') FROM jsonb_each(o.translations) t), ''), p.decision FROM "proposal" p
JOIN "object" o ON o.id = p.object_id
WHERE p.decision <> '' AND o.translations <> '{}'::jsonb;
"""

UPGRADE = {"sqlite": SQLITE, "postgres": POSTGRES}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    raise RuntimeError("this migration cannot be undone; restore a backup instead")


MODELS_STATE = 'eJztfWtz2ziW9l9BeT/EqVKyiXPpft1bW+XESto9tuW2nfTWjKYYSoQljimCTZByvDv9318c8E6CFEGJMsmganpikzgA/eB27uf/DlbEwBZ9eTKfE9/2Do7R/x3Y+gqzH/KvRuhAd5zkBTzw9JnF2+qpRjPqufoc+rrTLYrZIwPTuWs6nklsaHyCVng1wy56WBI0121EzYWNTPsYERsji8x1C11hlxIbsX6IO0I6cnRKH4hroKVOl0i3DfbMJRZ+CUMaZM7GNO1FK737tvmnjzWPLLC3xC4b4x//ZI9N28DfMY1+de61OxNbRgZC04AO+HPNe3T4szPb+8QbwofPtDmx/JWdNHYevSWx49ZmAOoC29jVPQzde64PoNq+ZYXwRzgHX5o0CT4xRWPgO923YGqAOviA5NmBpl1ObrWb8a2mHRSmLaJIYR0+mhMbppx9KuV//QI+4cXR67c/vf35zfu3P7Mm/DPjJz/9FQydABMQcngubw/+4u91Tw9acIwTUKPJ0mCyivh+XOquGOACYQ5r9kfksY6QrQI7epCgnaz7GNqDtsBe6d81C9sLbwkIv3tXAe3Xk+uPv55cH7JWz2FIwrZpsH0vw1dHwTvAP8Gb7W1MqQb7QYz22PZXHPEz9mm6PccF5HNd7BH34CyQRP/gYnzxYXx9HJ4kU/ticjq+PrmdwCN2+LGvJOzpyenF2eUx0o2VaeePoTqz9fp9jcl6/b50ruBVdqoY/J5Pm85SQr3HCWJnsLnGshN08vH27Ov4GAXUU/tqfHl6dvn5GDnYNtgMTO2bLzfwcHx6jKhP4TE2pvbp+Hx8C8/YDYbhL+nEtJlUcyj2DWI/roqT94GwbaPbJZdGjjQ3czNG29bUxU9aONYqEP4wmZxDzytK/7T4g7PbHNRfYPcevuYzwBqZHk7fLAnu/yKmrdnEE5xrt/h7yTWdIRrADVIB9e34f24zUEeL+PDi5H84uqvH8M355PJz1Dw1Ex/PJx/yZxS7Cdgnatghc8H1XcoeFeg2c0q7wv5VpzmlBFq2Ks07c67Dd1CNYmxruleE+JTB45krLMa5tJMc3kbYy8vohxroh2yoFPgtcqpVS//sYnxze3JxlVn/pye3Y3hzlFn70dPD/Jkfd4L+OLv9FcGv6O+TyzFHk1Bv4fIRk3a3fz+Ab9J9j7Aj5kHTjTQm0ePoUWbuLZ16Gog6mtlk1gXkar67PN94pZuWjPQTEzS6s/Iz+bQSZoYfe3P0qgZDxlqVcmT83V9FeLU1dtlZiI0GG0rYgdpSXd5SIJ5qjj+zzLkkF56j3CMTHm273vLg4Wdra5OaM5O1e2wqvop72iOHniwAGVH26suH87OPTHLl1FP70+T8fPLH+PqGjUEsizxgl07tyfXnk8uzm5Pbs8nlMSLuQrdNynm0joiwAAxHT27nZOiU8CqzcUw6J+x+aQB6nlThLoG7TfjfJwl5ikqhLYG2pdsLX1+UaJ7LZJmEZgAKmraP7rmLAYoGPG6WcgfMbSPg2xQ02B9oTGzrMeS0esLthkxhJbPLbZ+alIEyTbIb5Vvv7ZRg+b27T5kp4cFMn98/6K6hZd6kNpxFKPswzcUr+MtdgcHmQ9jFp79dYytm83Kghwb6j0F312FvPdxmf0UrLXqabDexRB5qJ7fDbQwdfk31N1TkTHvN7tct0TrjnfRWQVGNEKwEdo95S5f4C4FRQgaoC97XbdLVEJdUYBinS9PZclldxB0NFqrAYQBMV2Ct3vrYuoj7O5nXPLX6uCXTZijNcfEddrE93/YUu0z1ehV3Otilx46iLQGb+N6Cia6Li9B4MMCVFruFMeYae1vidRV2dg19DXVdBUBpK90QaZ5aRKuPy+tPnzDmi4Hl3mOBtCUD1+/QFYDlsBGHyou52CEuW11skRFrvS1k17y3gUIFDnt4hW3YiwFXsC1cN1GPA0XMI/d4WwbsFvoY0tEOOgtyRIS6Cq7zKeI1sfEtYf9XsMiJITuJeumVgqgMMPbY1R9id/+MXoz97YFrKbz4eHLz8eR0fPBXRiuUhRperY5W+Se6rS/4HwyfBh+SIGmuwbQpjNQI342qQzVSrTbHatgoIkAm+zkMoOB/8jOKiO/NyPcRuseOBwEXFkY6RSb7mf1D2TkiiM/YRY87jsn4YC5+lLCM/3d09ObNT0ev3rz/+d3bn3569/OrWO9ZfFWlAP1w9hl0oKO0/npz8IbvmjKmnLD5bqw4HfJZOnr19uc6kRqsWXmoBn+ZteVwhCTwjdrvz0y2R7ewWl5hFU5heXDJ7F947mmSSzhL1RbQhaW8r4ijlhYyxDU08cTK0Ck/LAl3EjL3I8Y/i/dvN5PLEj+SFE3e+mvOPfRvZJm0x1oQEeSARgbyQkxEPvxhlLXdQgf5mAi+ZOmykRE+T7sfM/xer05lhW/VCv/U13YbdviNEuwn4mJzYf8NP7Ytw3bjLNu1FFvweiiKtTuTeIl7IBZ3gwmplHXDJjWSEgRyKHGRi1fEwygSp6/8WSCdinIN1CMSiKv/OFjqthH4XxpkxSbm4J8qrcATphVQkukTSaabPfv7IKUeXI2vb8A3P8gtMrU/X0++XB2jzy7xnal9M77+evZxfIxusLs253hqn1xdnZ99DB36TxzHCs3Ska//38NXE+7r/7+Nff1rRUdVBEcVY6OYjMWPPXnRLCZrTTIrbJz+u0An90Tdsymh2Ju6YX/nUxspTsILWALihEJBXAti/q8EwFH7wTnwt4Iu9Vcr3RWEzpXnsUiRDADjfWexKM+GVB4hOhCo21az+65UXHvYfHDAtqZZt2fku6wRI0PUZTa8Y2AH1mxpk1GGSq3smmBTBig2tEYLXESrgK8JfBynLot6gVBBLgU5RJE1gjxFqCCvCfk9fhRaasqxTiiU2b8exoHtXgPgHCzIhVguzhQpB7Cw9y3VrHTb1y3rUdMdxyVrTLX4hJZU9m3oSeVAkFAAPmFulW76eLeM9x325s18MbKUKttXl7N9hRmAG8xyllLNcpdnWSU3KefohutW5TtGw1nPUqpZ78qsCzZ7HLsknYAljD8xt40mTwfc9GwZ1IqW023KGHbYDStsGzzQcEvAon56eylWAxbJOJpLHraE6hPvaqgrK9FCKaQ2Je8BjTTbMu7Wx9UZdDVmPQ32wApibbZNecE7GSpEjkvYtatvmxfkKuxmoAc5Y5J2kavnOuxmqIspytWwfSaQHyRPw3YgDT07Q4yTtiZbJ6yLwfpKauWt6+UGdBjvswuwhoaRVEBKptRdVMZSjGWU96KObBh3NcCd6rjmmv1FYG7bDVgecf+G6/ClfURrSWhlZp76QE1yif8HAlaTkDBYLmVRYeFS2hAYFq3ezcFht0uMwiWPGBEid9m8Jb9AghIbr7GLLKyvMUUeo6DYZU+KUWNb97ZF9pNOBJwOOo4sdTRK+zAUSQfha7kPNwYJRbDKdyV3PI+eMt8VV6gaN/zwE573mQbVh37QVKNJ2xphwUFrdgSbFNmsU3SHg1R7FD2Y3hI9LLENBzZ7DemsYIwXkPaCVwpGh/zoNj04vz0P0M/fBjsfYWp/CzuA1LnQ5huQToO/XwPK6cFzdsksbOJiAxG4Qx5Mqqqdd/E6Ad6xCGtF7F/YfniBya1EpUkW/1V1fxv7FipPjPKF3k+bfJknxlas2A5Zh9jYLGIb0pboCpYh06wGt3AJSUDYLe1ix3pEHmGSXWRxYRe87iHqLxaYeuymxw/IYwcNuiMuIjYGMdD0IMdlYHkQZRvZce8qi2ZPs2iGsyjDF6RIBiFT5qqivaqT5YK1Kq+L9qqQ5yLcTFAYhu0kGTahSDkIzPfNMgT+RxSKPlHhci/XWRUp95cr7XWnRY2cuU18hmzOyRMT77PALruMIxFaKjPP5enZ5edjFNJP7ZOPH8dXt+PTY6TP59hhnzm1T8cfz88u4ZmB55ZpBwr7py/PyHhDKlr75adPQqHElIZnjmxUZZZqALDvJ9wvcTCVFgpzpCoKozuO2SoK48eV/YW7eyYOnN7AvaUJGzFvHdvQu2bfIslfiG2VLJ4jHFIS4b3I5YWKALITkCEbjkl9D+AXVIvF7VCcCulUzxLOzV3bB3VtuLkzQGzGLTnMd4BwXQN5x47w2hbywgWWAZh9Brr8cn4ul1I7f+wUp0HSS6F5oEMv3BQyp2zbfgofLDK/PxAYGoIXoyojwyxuUsPAEOYZ5z4Y6HD2iEzjOeQf18NiWUFiUviFYpQEOqa8C1x851P2hBFZ5sr0hJaGtoYRZkK/ZwspQMRlj1Ue9Cd1OIgmo67qI2o/CA1328q8cIVLwJtQDBDgtvRKSme6V50pBV/lMA6+kS0hRb9H+KlPwSIga064+XIDFoVjFNJP7fOzi7Pb4+Cam9qXk8kVmxlCnK4YEDgftMKGqQvk1KoMUnlSlbZLIo1UCF4YI9kM+RSxwl4C+zAb4JysxDXtNuYRTFGqC0H6QiAzxvvPhdblylWfoVMLXmLBKwtL+f06LAtLR7wrP1qEMtSv8QqmVRiakW8yqlKCzIPG7MZLta6nD+HtA/9HHcHks+XDgx8QdIopooTYIwRJChBh/CdyWPMVXs2wO0r8J3XbgHA7A/H1LlaJtDWSUCuSCkZO67YN/ZFqM3xHXLydpkS5a+7WLFSuUklPWWEaSucgRzUkM93ObKDq2vtRrr1s1Vx+MsqGMaeJ1G5SHgVduToqjNqlCUkaWFzr5iPp2kTUD0tOb/DNFm3lMCCDbi2HgacRRU6xZa6xK0wHEr+rFD6MdKuNQsfEjk2ePAjranJzC/9CmNVhUEjoOeJ5G39BD67peRC+bfMkHqxnmwY54QIxgosKpleUN9oapETUCAaKHJiTMkh5CeMfieO/jb97jH3y8MqBf4OmSvronPSRn9zaPu05OmV/VDX2ugj202ZIKEI8sBQJvYsSY019LG3V/f3L+AsEfwXUEA52fvZ1fB3Eg3HuAJ5+Ojk7h0d3uml1JUAsvIIFFsZyWThFsj9h7VW71+zOxOA8Y1PAtVqzJCDfj3rpCZwwu65NqhWdBO6X2NCY7GgKhMHqyc7Tqji0Ts+0Tj0N7iRf5rTMUalYpOKRySHCrivKnVfua5GlUn4WKqfSDlf4cM0fMT/arHZdhlbdV12+rxz90SK6IW+PydC1xeEPU5VWFWIYwLoDg0Gklr5KeuzXfNQ2G2RWYhetBtEUVBgPUrO02YagpVZJDQcmO9Hy6zTM8gq6fmxwP6GHJUGULS14NULUCzK2gmsRJHbTLYtr/LnqEHPyBYEoLCJwYGpzJJVJrsMn2qg3xoEupZttSVsNW0w+v1CWShkHasM9I4YgLKlcJI3aDwJiJY72Yir6IJVIeJ0XBNWtC1emnTj6Oe9bVqiSZG3HK920vjLg78y5Hn5xgbktNqpkbzE0h3ya2fY1PPSJjV/ArkWWad+DF/yaAYb00C8egZ6Gom9s/bElSr+hQ2KjfxHTZo1GkDzAI2i+1O0FeLA8F/nl77x/VQKhWxkJDBOS6cqwSwnF4PjS929rsEnv35YySfAqZz8OdoYU95+QDIJRykL85qhOMmnWqhRk/i6LMv7umAyzBrxRllLxRp3jjdLT7NNG/G+KTGnkuzy/SsQpP0SHa3FTAUe74/RUtMveol2exrDyiUCduQOByBm+GVXJmXdJm7qBGEyIC6i43GfzenajoHQeN1kYUPwGfgrGT4VV8EBueo+N0viLXfUtDLsIeg5i3cOfVUx3Twwnkgp8ZSaRNJP0zeu81dok1+Pfxh/5syAvVFdcz/vFDe91lwyXGY5uKjluOEel2GGBF23EDzRCdrcl2geAbIWgkWG8tpU0Gpb67omckVtdm8PqY0ZWYVsTW9xBIe5XCJIUiHC/hsGT5QJcFF65WXz7A0SkB4zubRCcZsSHrFph4vGgJvozCua7+VKfmRYTqkbcFQ2krbnpzn3TQzP2+h67RfFtx31vYRIMMqVLWa9iiuGJC7uLUC0XzeAL8NxngjjWIFDTd0UOCKX3aRm5CpQs8CumS70IowZCgIhemT+6bP4gTExtFiiZpVSz3OVZ9m19zTYlB7owzZUJfHOUKoWvRArfIMzUn88xbeImICBXu6zLu4ySO48x6iVazhI/8BTNAOJl23ZtiuAqryC+GeqKGuIK8grI50vMUyPIn2QlXajTrGunmYRTeJu6ijOISRvbnjgDYOrtqEpvEaTfwnHDBqF7XJ/Ao+YwssgcUn2DBitSLYBBGH4PNA8GDBzE09UJ1tuqb6H12cVz0zHDIheZeC5lgu6FCbpbsXtPbTHYi1mafYcvrijz283kskydl9Dk7zBz7qF/I8ukfTTSVAAMaGRurkJ4WT6SLHclQQf58DJ2YGFz3YilyJEqe3NHWIs69ub4npIzi+bJlF10s100wxIo412l8S6/vrpkveM875mHV6UMMX9Zgx82o3Y1Av2C4EBIJ5FlXXXXhbM3TioR1DThtrajV0c8+QT7DAsoLbZOXDR7hDrDxBVa9locZ7OVL5X+ms26ynitGON+mV9bYotj4DhUTRCPCAcoi7QQsQlXa4PFTVQGkcYJW+7xo5D/3JizJSFUoEsU8I6YK8lVXiAcnMq+LchLk9tV1MpNSAaxtvedL+fHDXI4nVyOj5FBbKxy6v8QrmLSuaFVWujm54pSlP6QilLHJeD802je87TK2K6M7SWqxXXgwSbQK/I3o2qlYtymjn2dNw8KbENyr18C/3zCq9lRbN1BClsbr7EbqvxGiLCdDS/Rza8nL47evUdBKiihhX23vausYSprWJfgbV0HxR1NXSLyEa4nweS62COjF6QGlBVjLsbgyXscJhac2heT0/H1ye0EHrFTg30lYU9PTi/OLo+RbqyCGJ6nF2ZsUiZlivdB1H4AnPce6uPxxJgy8MYEg8O3lcR5MIJPpSK40iT7E8Vfd/qizKSokwFz/0D2RqfRnZSOStZqLUzDxWvSzI89S6lmucuz3K9MNvu1+A1XYxbN3Uxs2y0PEc/TqZqQG30LE8yKQLeY37FjINf1LiyssIx7IfsKdPnl/Pyp/AsvuKnudukSf7E8EOgCsw1GVSrBFW+qeam2G1WDXxxI2/+wxHac5/8ZRUxujYsTUPSAXYyCzkfIwS78ZxIDHZqrFTZMhu4IGez144g1xffWo6C4QIvjCENyUglQg162C8VROsQtdYjhJBSALRfuE4pBeES0nkCQBMVIG6WUKBAPkPnqCbNVi8dWWbRVFu2OsVndzaJ9wbkNujQdIX+VvK1mrrLtagRxxFxOCA2aYYvYC6j0iXQbEXeh2yblvM8xGEwfGe/ziBx/Zpl0yYORTZG1dXf9bmKc0j0p9ulJ2SelVCmHfrhKFXXNt2NuSB9scuAKKBXCipHaNyNVtph3APAk191AURZs5E7xrIEXDPu4k3lZ2dFCm2r+NW6t6UnzWoVhYpccxnNCAXvwx+HsJzRKsv3qvmF6yCKLY3SPHS9Q9sGLmB5ZWF9jKi4R08ooO3YlVIHH8G4fgcfxbGpL3TbKPONKnFYEtAPUIbbig5WcDXXRTigGiPGbo1puWBVeWHmAPd1lZ5EMwAnFAAFuL+xVp6J1XB4mlVAMwJtw33FS/dJPqCipnagnkntWSobOkymPj43ycwzZXiXojmFcV7TLr69O+Xtcsn9usOcFf2hBpku/HlWJczZ7pNFUy1qSXEgAZgIuX6E545AXmKI7l6y4FPWAZ+gQ8m288B0uUo2QxZr47K+Z+kevjt4/Z189PVjrlo+nrNvg4V9ika7d4baQ7e6xwHWqnAMLm6tYphzjFcUylYtxfOKKUJen+IwJVH7PLfJ7+o7RkB3LUipzUVf4MYFbCP/6jsQyX6Yc+a5cfIddDEyI8IYTttxw2SU0mpMl2njv/Qply0KjOXrQ2TLgmb/v2fqDitPpvn9hDflzXpXaJshltJ5+z24suKzCtVi869oZYpN5HrpRZvknNcvzKZBhJML2A1Tk7F5Txo4Bc41dKU4tTTNAkFtIz6RcDJQBvFvye3c9CSczKBkv4mrCN5VcDEna1PAeZDB52PZQQIUOGd/E2p24nsl29Qj97mMKjUMpGQq0hh5+UNnERUtiGYzVmBPnkbEgIjfC3Q+gjK09NbZKZgZVOZ3lbFEcIQl8o/YDZGB2zyWaVONFnATnR1V5zTRZa7U1C0s5Rr63pTVNW3OxYz2yU142obCAtK0VXgC+5xmF+V39XTqFc45MoV0Pbf6vBMxR+wH4DWQBfveqThYi1qoUXv4ul6rZX610kVRf7pqRIhkAxnv3zQgYfRnAUyQKcPlk5MR354ITpGKBxxQKbmm4fVcqaVzYfABA7+c2ZJwyF/zn8hx2QrfH8vURN9JbFrt/lTEP/uvOt7kbMJr5puWZNn0Jw/73ExwxrdjTY81Xk3zgOdrhuTj214Re9GnskOdEN93vBjHLgUWhySxnKdUsd3mWl6ZhYLvBJGcI1Rz3YI7Lwj3KxYAC4eAEgla0N0voqcGOSsjUfuryfrKEddQqBb2IZI8yXv/tKJGXu8yRlaYZ3Gn1pk4w65vyWNY3hVBWNpRNrSC3pIwsnadT8vTO5Wl2BC1lw8YyNMrnrIbPGQesiHADl7Mw8qxn+NZ2OEuvLFl/s9SRbtr3goPmQ0j26W/X2IrTqpQkX+G+WOesowHBnYvLXptUfCLLA3UddjZUsDx9sROcbvXFUCFyYEHhB6qRu+2QunIJu7X0OixrN8WPTfvOIa6nYNoA058+Ae2eKVAlyKD0O+/mGlOHjdbHKLl6x9MSr0QFkGSQuoU+BomUlCN6imtbYdsQm/8iXCc2viXs/zaje5LubIDb1SGWyPFTGqersJ8hQpQ6sLeGadiHP5ODPLyrrXeT7mwgYDUKl+HSTGnITCTrbAqb0ayoYZ1qx2FMi7fUPV6QmCLdJhCTwuNyD78tXXz37fkI4ZeLl0hHbnj9BBm0g4aQYOMZRdH2EZY9bmkYYeBvEj0EvW4X96sia+DdPiJr+FwV8K+wSoXt9+aq3fvgmvB4kF3mGbIhaRP3sOArdI7JKbWlzjEJqOzZNNRVOmYWYPeCXGPVWunNnVa+bby93XTjjTf4H3Ch6gisCIjqpoFm+I4tIMgjhQ3TO0amx65arrWFZMEPwWP2iLWB9C4wONLZ72hpUo+4j8Xbu50hVARsh4+tqntahfyokJ8WMVYhPwMHXIX87BXuB9f0vEaunVnKAea3G5IzGoSL6/OGFeMzpAOc6J4mMqyTWFrJ9Eqm79I0DESmBzeQUnE+9BHZKMl7es180ydoqdMla46IzetShnmmPOKYc8ggRTH4lT0fIYs8YPfFXKc4SItJfI8nw3z2H89Eiat21e0GNTtHSanZO3NCjXokvj+dmv11Lfn9dYX8/roov6v7WN3HXZqG/t/Hjmmzv/lCF5akTr2tvpGDdtpKr1mT+pbdfpZOPRRSIkYJCar12P78jKLYC4KOkIvnZOX4bGGg2WNQsIG499hFhwaeEZ+tLuN54YZuZZSpTdi/6Bujs7BGTfbLN2RSKDEBRDqy8QNaEw9zFiDqXCnlu37OVd3qqbmWFf9zpHuJOVQpF5ppeaLN36R4WJZUhZZ2eZ7hdKYaz+2MZQK/CnT7YyVftXu+7qygOZsl+L4CpuVBjgnFVuGN/dku7eQFChkaadEoR7ibFf2DsAwF0UiGh6/jGB05+dYUoyS8ors1ZXXFqNxirSFIbSccpSvQi8SjXIX6CgEp37KW73CKiAkjTMYAH120ZEcBDdyCPrvEd6AwOXFHSIdaPlCD3PTQg84EEp86mE2nIfYY3lXnU3tqg6AV+g8H5fXC15TrRVMjhd5M0CfiQ3pMbnLX2AhGYJ1HScqA1JjaLrb0R95wyb59hNjVa1pB+XU+kGXeeUHBomBIcO1qQ9b6UQSt1goUxQumAXOdp1XcdZe5635VYFaW8s3TXsdSzs902eJNW5ZeHt4JKsFRprgRXu6PLk1nyxDYi7ijHu4tifDX3Krdmu9unJakF0x3epu2znH73oKwj77QTUvIcaffV3PcYUttFTWtVZd6hSllnwaBcRA55+K56ZjY9sA2wGbJxYxJtdEd++qAHWbz6LNnwLxSqGGVMRuIa1HvfojNvO4/gpBS7k0AdTh0z8MrB/4NHAuUzaFzNodwmQiv1HJ/gizV8ApjvauTnI21Ko/ce1dIzxbvQBmgM0SDrI9Vx32DtaqokFVw31BValusPxZu/SK+5a7/KZJBQLz3YIvoUi0u6LHtrwrsY94yLExX2mbYBahRAEA5/A+uxpenZ5efj1FIP7Vvoic09eSW/+pN7U8nZ+fjU/gC0wosZR2oLxywPAIRqVxATZEoU1/e1JdnJAu4Vit7BOSqIEWn9XqWzuagkV4vQ6m0t12eZfCX07DritQi5YxElkrFEcrHyfZKab5XAXC4OnNglpqYwxIydZZ2+SzV59xXTNYqkiZqxHZ2bErbzi4eAFaEuEF68binfiFcX5WfXlsZZT77BHT55fz8qQIRrnRKH4gLCVixdyBQ/WcbjKp0/07YVHPjtjWCBImNX8CZyRPogeNK4GGy0u8xRXfERToKLG3oYUngwYLwMD7TRdGA6NAwFxgCDth99VwUMtjOIMrZpVvOLsEEyWg6E4rB6ezfv62hynn/tlSVA6+yzDL+7phsazdgnbKUA/QwGRL75NNm5S+pUjX0Yn77JfMqR7HdCL1PJRR1bop3rI6P9sTsUQ7aAp0SOTspcnZt/e5A5owdyMTrWEn0m9Et7N5uCfVQzUIky4dVLipE+KhFrVQCa+IxMJHrW0yK5gH+v/tMnILQliDzwjGirIHFY/JXbKJMh/08XxJzjrOxLXOLUEyLkntro6icAH31zwsnWDAHVTVq02SqTq1EnVpss85NUXalDSJ/ik7Jg52WB+FUbOZfQJTM36M5phpkwdMqCkJVnaBlXajTVOI0DbIuUI0uyYOgxGA9D8ZCJ3t0/NDvPOxqfC0cyM3Ewcmn2/G19vF8cjM+Rql+pnbw5uTy5o/xdfRKt+kDdvMM4dP4MCqNWTn0w9WYdSfp4Q/C9jeKwiT8D9oyAhME44kTtenZFiyNwCzkXtoOpK/E6+MJ1ShAtSzFpmSEavMEm70IUZVNr7m1UmsS/SlC1Vayg6sVXBpJGtaKTg14EaTz/JIumus2qJcINDdtHhVKXIO94PlReMkotNDXGH5fiYNRt+5RmLs60t6xi9Dk388ATZ6qfNbduu5GFVqueAYLc1CeUSxFoix1osCZjuUIf8IoyKNaScKPKpKEHxWThPOjVToPXkI0pEX7tAnCxVXRpa14NYuid20K6nIvqaUnmxpc8dVSfPUOmcBI8ShiAVNKyQoGMN2qlpWTrRNz/oiCL+QGSBuduJ7JdiM6tMhcZ+Aw/szFc2yusYHuXLKKy3vfkgd7qVsWz9MncE1uYwBl2+zwsV3F9UFoui84TeoHtvuioOk29cGGq995sprg0+uTT7fHiNNO7cnV+PIYEQfbU5trh0+PA0u9MbVPTidXt/BAN5jQBk8Y+3H5mTdZ6vYCnpxeT66u4InBtrbTlbj30FzS0Kq2Q1dpZVVTllM1x1uUoISTSXOxTkXieHlsdoFQhWdLh2cbeG42y12bpVRbrMtbDOaKCpVd5bsrTaM2VqONBfBpS28lUBVsxj0mVOA3Bx8qVYqNl+V1O4TEW5XwaDYZ/3Xn2/wD0Mw3Lc+06UsY77+fYJJaqezhYoe4nkZt3aFLIllapUCqaqxsMxMr4mE23sJ3Rbq2qonIU6p5aD4PIYzaHfbmy0ZMmbgHxZx1mTljh5n1qAUqShnrWZ5uAHxC2yqjpCSmhm1AQKSMrXLRFXegHHQlHHTX2BWLIuXV6RKK/VkwX7e1xHdsc58RQ3BqlIsXUfsBnBb7liqaCBNKhmiVY1J+4+UHzYD9xlOF1+RyAggoVVaA4qXiuHht4getoYO+kHxAOO/FiF1QlDScDBG1moumc6FCVrrjhJevPbqlM17dYlcd2we1QwmKV19JSo3Ss2cHINeO1+gpyqLTtgbM2RtT4VyjYLKAxZBOEZNKfLTCtsEVO4KDXcLV9CTqp4cSQ60wN3CsgepzLl7BZ7pb4vUx6O467G2oqIUqrG2DKEPP2q+JQmyIYP3pb+/y/Tv0ASmVHTZUH8X3WkhBsNq2SEUY3UJfQwUq0dtvB9ZN1M+QgFJhuk8bppsOtTdtYM9XulO+TiPoN6/WSdDdhV6n7HFPGMG/GsazRHdmRVhL6lrdHN2ipaxSdZLwO/7MMukSGygkDBLtRd2N0D12PMiNb2FESdSIIrazHhGocuEDeK69OVk5ugu/ivLwtzaOOB46Fetj+5DeX8U/d0d3MkLlkTDhbBVmoBT+hGBIYaQ7U5mzEf2VsNRuhadhimb/xsEBOU7F0rvmu2ZxBsp9aAqEAzCL5wPR3/5cKxL97c8VoejwUlleleU15n7kTYIZwiFdIU+ciaA016R8NoJUVz2bivpq48wylM1K0GbgfU5jJZBTijqtcjGF69B4nbCkcQ0phfH8cBuile7eMxHCI2iGUdBXlDYJMGZzx0XPZxQFBg+RJLJVXxuljVAxoaSNzhxSVdKG4hZ+RG4h2PnShVvyZAPyVtmZuNkdP5RuALtnNyDFBys+uItTsVM+uHje7ADc5pagnkBbwxYkvCN3gO3gi0LlOYNO1YS6ZnCP15h/fEF2S16OqsQ2mDINx+1q5c7lc85kKk6GDnVE2aJ5wSQs3fPwyvFGSId6yysE3N1z5IOfDXtkmSvTY0LXPX4UZ9DdUb+bc6X944C1haZLBgxbt5zZ/6eS5DopyYVTVVfBHjYfYobXd+/q6NXfvStXq8O7LF+Z3gEFlKsF5RzpACXlnkjGESYF0bjAvT7RPYX1eVmS9/hd9S2VblVDq3hu3vPSgZB107bZtTLHYRLOgFkaodkj+439By74Il1igx6EGsR7tnT5V0e+/iG3BtY/pUrsxQUkaeHdqV33aeHfi1032iG1L/iw/QBv+N3nn0idNhIQZ6naAnp4S5kN6gk9csqhTpEMzhPk9VEdlFmr8gV91HM3kL2u8eHadTj3JGfTSZMMSem9lUGnQp0dM6h7CmrtGrx1NYLpddUlb45r7spwIBSx+JtRtYAVt6khXq0weOY+o+gQJCQU5ORDFLtr/vSTpS+eh74VgTN46JkxSvmFh8KVHmiQRSJYS6OoUgo9lcN6xcv23Nk2OOVkfZvTRIPjZtuCukkaepV/vnFOtTt2bcgu7DTNACBX/vpKUGtJUGM9EWvdaNZzpCqFcNesSYV59sV5kKourjTVAE7SfV9egbSDJVUhOSrl3SrKeBcePrKuw0VCBe9GXVO0IPeobuoYwHW1TbmtWyt/WrwgdwLvwB38ivu3Wy5+mVw5QuVeLplOlY4vaKp5cdta7n5shrEVadgy4VPkwUYUe+gQv1y8RNMD1plNYcFOWe9TNiWUa+bmS9My5rqLpweCcqntDLE5eQTgqDwweqH5U2XeY2n9fZ0q7+/Li7y/L9R475ecriLldiOoq3giFU/UxanYU1x9hl/mXNGWefo4/zXI9I9tsrdJdkMBa5tJfVjO1tJMsxrWa7oEi3FMhhxMHAujNViXif0STYJUAdEKY0zokqwwstnQyPSQSZOUZyNGEJZtz9qudz7G1GYIuGQNv+uU8cnffvcxhT/qGzrU2cWA0X8iw6TRj45O6XPgjGGYdCbuXxABhpgPBTEz2Jna0CZJWBlRhQb36BspPHyEv+xhhL4FZtVvaIbZ38ze6B6KPkhZ2bt+C1Xx2h7+LuXAGLUfIK999HMdZpu1KreL/Vxgt/k+EwM8tv1V4YbPgB0T71F37mDbAMzkID+4Gl+enl1+PkYh/dQ+ubq6nnwdnx6j6Cib2tfj38Yfb+GZi+FAwUb+MH0av2nqz1amB8KNpKm4QKg8TuqZi+FmdxsKonlaZTvssu2wXwoH5RiwGw9un02WrAt3mkaZ1YpWy+Tck854VKRUAKusO52RTzqQdyq/tH8Q2VBpKJ8q41Fw3e3EaD9on4gMW1DDIyJ91+0E3YG7RAh4gy3qnK23L60UK4K/Em/gqvWnq4PTqeuu7lKVLsa3G2sFX4dVFotoodawWmjrqG0tZxwHu5Q7xoSmBPa/lO7+GL1G3AIwQi9ex+aAEXrF7QEv0e0SfG3AZSZKt0XFDjntDCN0ysnab/jVpdxyOsMOjipMBWvd8gWq7JuVblmlUxATDUkmenP00/sYevilCuybi5Pz86Kg85RpZn6AcKQ1aaZzTNMNT+PYEw1jLb2yShKxewVYwqbIXrV5yiHB+7RqmAzDtKUwO8TyonkhIb8Sa2hiVC6UXudCyTnjCSS1orteuajGwyWaV7bx9AX7SPRgekukI95ZVfGasuZC2SmO5FDFabp2gI8qBKd+WcCVy/1mBrWOCVxVUHlSQyI/K6XRT1Mp8HfFwsb31pYMViH6sWeTUZfRSq9CVTplr6VTnoiDJfdYmC89eFHNr8ZNanCpM6y72EWcZoQo4+cZ80nY/QtRBqZH0c2vJy+O3r1HhrnAVJinr0kXOw4P+FH41i31OuUcaTA1MvrnhGJwmc7fv60TY/u2PMb2rYqxVQw/26A69TSfNpr3PK1yae+26YFbuWWND2miIQkX7eWojl2v9ubE1TWI6+tm06urS7xtmffMZqcZOVcZrp1+RtF8Scygeg+4oxAnjlEteL1UUkztqf2NWsT7hlb6PaZoegBvuYOMA4XogHh6gHQEXNZMpxi5voWPw3jeV1C6DkrbuY8BDdS1m9qUDW/hF+GIDrEspNtGELXrhDlw2Gllwo+cBK3YcjKdhIZ9xAhopvYhkI+CD2GMOPvU5zBysHIrsuIwKo5qXKIogJFNouAldKv0zN3RslRx9apyUasuJXwr1L/vo+b7u+lfdfiaV+JRPaiHKx4pf53d76Tg6pa3MaXJhgTsnm1MwC3JxwomRAr6ncWqhXzrtnFqYTc9m4LaMWrJ0qthVnLE+b4bgTqJOxsotJkjVbmcDd3l7AS75nx5IFBrhG9GVYoNPWmzSbVRjqiyqXXLprbGLhUemOUSeIpkiPm02ihgD5tKAuGw+QDRff2qTrYy1qo8DdarYnLgsoq2v91MLktE8tKKtoY599C/kWXSPrK1FeACGBmhu1DrI1/WY5SVpqGDDyKGdp+X2V//H5Zlnqw='
