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


MODELS_STATE = 'eJztfXtz2zi251dBef+IU6VkE+fRve6trXJiJe0e23LbTvrWtKYYSoQljimCTZByfO/0d18c8E2CFEGJMsmganpikzgA/cPrvM//HKyIgS368mQ+J77tHRyj/zmw9RVmP+RfjdCB7jjJC3jg6TOLt9VTjWbUc/U59HWnWxSzRwamc9d0PJPY0PgErfBqhl30sCRortuImgsbmfYxIjZGFpnrFrrCLiU2Yv0Qd4R05OiUPhDXQEudLpFuG+yZSyz8EoY0yJyNadqLVnr3bfMvH2seWWBviV02xp//Yo9N28DfMY1+de61OxNbRgZC04AO+HPNe3T4szPb+8QbwofPtDmx/JWdNHYevSWx49ZmAOoC29jVPQzde64PoNq+ZYXwRzgHX5o0CT4xRWPgO923YGqAOviA5NmBpl1ObrWb8a2mHRSmLaJIYR0+mhMbppx9KuV//QI+4cXR67c/vf35zfu3P7Mm/DPjJz/9HQydABMQcngubw/+5u91Tw9acIwTUKPJ0mCyivh+XOquGOACYQ5r9kfksY6QrQI7epCgnaz7GNqDtsBe6d81C9sLbwkIv3tXAe3Xk+uPv55cH7JWz2FIwrZpsH0vw1dHwTvAP8Gb7W1MqQb7QYz22PZXHPEz9mm6PccF5HNd7BH34CyQRP/gYnzxYXx9HJ4kU/ticjq+PrmdwCN2+LGvJOzpyenF2eUx0o2VaeePoTqz9fp9jcl6/b50ruBVdqoY/J5Pm85SQr3HCWJnsLnGshN08vH27Ov4GAXUU/tqfHl6dvn5GDnYNtgMTO2bLzfwcHx6jKhP4TE2pvbp+Hx8C8/YDYbhL+nEtJlUcyj2DWI/roqT94GwbaPbJZdGjjQ3czNG29bUxU9aONYqEP4wmZxDzytK/7L4g7PbHNRfYPcevuYzwBqZHk7fLAnu/yamrdnEE5xrt/h7yTWdIRrADVIB9e34v24zUEeL+PDi5L84uqvH8M355PJz1Dw1Ex/PJx/yZxS7Cdgnatghc8H1XcoeFeg2c0q7wv5VpzmlBFq2Ks07c67Dd1CNYmxruleE+JTB45krLMa5tJMc3kbYy8vohxroh2yoFPgtcqpVS//sYnxze3JxlVn/pye3Y3hzlFn70dPD/Jkfd4L+OLv9FcGv6J+TyzFHk1Bv4fIRk3a3/zyAb9J9j7Aj5kHTjTQm0ePoUWbuLZ16Gog6mtlk1gXkar67PN94pZuWjPQTEzS6s/Iz+bQSZoYfe3P0qgZDxlqVcmT83d9FeLU1dtlZiI0GG0rYgdpSXd5SIJ5qjj+zzLkkF56j3CMTHm273vLg4Wdra5OaM5O1e2wqvop72iOHniwAGVH26suH87OPTHLl1FP70+T8fPLH+PqGjUEsizxgl07tyfXnk8uzm5Pbs8nlMSLuQrdNynm0joiwAAxHT27nZOiU8CqzcUw6J+x+aQB6nlThLoG7TfjfJwl5ikqhLYG2pdsLX1+UaJ7LZJmEZgAKmraP7rmLAYoGPG6WcgfMbSPg2xQ02B9oTGzrMeS0esLthkxhJbPLbZ+alIEyTbIb5Vvv7ZRg+b27T5kp4cFMn98/6K6hZd6kNpxFKPswzcUr+MtdgcHmQ9jFp39cYytm83Kghwb6j0F312FvPdxmf0crLXqabDexRB5qJ7fDbQwdfk31N1TkTHvN7tct0TrjnfRWQVGNEKwEdo95S5f4C4FRQgaoC97XbdLVEJdUYBinS9PZclldxB0NFqrAYQBMV2Ct3vrYuoj7O5nXPLX6uCXTZijNcfEddrE93/YUu0z1ehV3Otilx46iLQGb+N6Cia6Li9B4MMCVFruFMeYae1vidRV2dg19DXVdBUBpK90QaZ5aRKuPy+svnzDmi4Hl3mOBtCUD1+/QFYDlsBGHyou52CEuW11skRFrvS1k17y3gUIFDnt4hW3YiwFXsC1cN1GPA0XMI/d4WwbsFvoY0tEOOgtyRIS6Cq7zKeI1sfEtYf9XsMiJITuJeumVgqgMMPbY1R9id/+MXoz97YFrKbz4eHLz8eR0fPB3RiuUhRperY5W+Se6rS/4HwyfBh+SIGmuwbQpjNQI342qQzVSrTbHatgoIkAm+zkMoOB/8jOKiO/NyPcRuseOBwEXFkY6RSb7mf1D2TkiiM/YRY87jsn4YC5+lLCM/3N09ObNT0ev3rz/+d3bn3569/OrWO9ZfFWlAP1w9hl0oKO0/npz8IbvmjKmnLD5bqw4HfJZOnr19uc6kRqsWXmoBn+ZteVwhCTwjdrvz0y2R7ewWl5hFU5heXDJ7N947mmSSzhL1RbQhaW8r4ijlhYyxDU08cTK0Ck/LAl3EjL3I8Y/i/dvN5PLEj+SFE3e+mvOPfQfZJm0x1oQEeSARgbyQkxEPvxhlLXdQgf5mAi+ZOmykRE+T7sfM/xer05lhW/VCv/U13YbdviNEuwn4mJzYf8DP7Ytw3bjLNu1FFvweiiKtTuTeIl7IBZ3gwmplHXDJjWSEgRyKHGRi1fEwygSp6/8WSCdinIN1CMSiKt/Hix12wj8Lw2yYhNz8C+VVuAJ0wooyfSJJNPNnv19kFIPrsbXN+CbH+QWmdqfrydfro7RZ5f4ztS+GV9/Pfs4PkY32F2bczy1T66uzs8+hg79J45jhWbpyNf/n+GrCff1/+/Gvv61oqMqgqOKsVFMxuLHnrxoFpO1JpkVNk7/XaCTe6Lu2ZRQ7E3dsL/zqY0UJ+EFLAFxQqEgrgUx/1cC4Kj94Bz4W0GX+quV7gpC58rzWKRIBoDxvrNYlGdDKo8QHQjUbavZfVcqrj1sPjhgW9Os2zPyXdaIkSHqMhveMbADa7a0yShDpVZ2TbApAxQbWqMFLqJVwNcEPo5Tl0W9QKggl4IcosgaQZ4iVJDXhPwePwotNeVYJxTK7F8P48B2rwFwDhbkQiwXZ4qUA1jY+5ZqVrrt65b1qOmO45I1plp8Qksq+zb0pHIgSCgAnzC3Sjd9vFvG+w5782a+GFlKle2ry9m+wgzADWY5S6lmucuzrJKblHN0w3Wr8h2j4axnKdWsd2XWBZs9jl2STsASxp+Y20aTpwNuerYMakXL6TZlDDvshhW2DR5ouCVgUT+9vRSrAYtkHM0lD1tC9Yl3NdSVlWihFFKbkveARpptGXfr4+oMuhqzngZ7YAWxNtumvOCdDBUixyXs2tW3zQtyFXYz0IOcMUm7yNVzHXYz1MUU5WrYPhPID5KnYTuQhp6dIcZJW5OtE9bFYH0ltfLW9XIDOoz32QVYQ8NIKiAlU+ouKmMpxjLKe1FHNoy7GuBOdVxzzf4iMLftBiyPuP/AdfjSPqK1JLQyM099oCa5xP8DAatJSBgsl7KosHApbQgMi1bv5uCw2yVG4ZJHjAiRu2zekl8gQYmN19hFFtbXmCKPUVDssifFqLGte9si+0knAk4HHUeWOhqlfRiKpIPwtdyHG4OEIljlu5I7nkdPme+KK1SNG374Cc/7TIPqQz9oqtGkbY2w4KA1O4JNimzWKbrDQao9ih5Mb4keltiGA5u9hnRWMMYLSHvBKwWjQ350mx6c354H6Odvg52PMLW/hR1A6lxo8w1Ip8HfrwHl9OA5u2QWNnGxgQjcIQ8mVdXOu3idAO9YhLUi9i9sP7zA5Fai0iSL/6q6v419C5UnRvlC76dNvswTYytWbIesQ2xsFrENaUt0BcuQaVaDW7iEJCDslnaxYz0ijzDJLrK4sAte9xD1FwtMPXbT4wfksYMG3REXERuDGGh6kOMysDyIso3suHeVRbOnWTTDWZThC1Ikg5Apc1XRXtXJcsFalddFe1XIcxFuJigMw3aSDJtQpBwE5vtmGQL/IwpFn6hwuZfrrIqU+8uV9rrTokbO3CY+Qzbn5ImJ91lgl13GkQgtlZnn8vTs8vMxCumn9snHj+Or2/HpMdLnc+ywz5zap+OP52eX8MzAc8u0A4X905dnZLwhFa398tMnoVBiSsMzRzaqMks1ANj3E+6XOJhKC4U5UhWF0R3HbBWF8ePK/sLdPRMHTm/g3tKEjZi3jm3oXbNvkeQvxLZKFs8RDimJ8F7k8kJFANkJyJANx6S+B/ALqsXidihOhXSqZwnn5q7tg7o23NwZIDbjlhzmO0C4roG8Y0d4bQt54QLLAMw+A11+OT+XS6mdP3aK0yDppdA80KEXbgqZU7ZtP4UPFpnfHwgMDcGLUZWRYRY3qWFgCPOMcx8MdDh7RKbxHPKP62GxrCAxKfxCMUoCHVPeBS6+8yl7wogsc2V6QktDW8MIM6Hfs4UUIOKyxyoP+pM6HESTUVf1EbUfhIa7bWVeuMIl4E0oBghwW3olpTPdq86Ugq9yGAffyJaQot8j/NSnYBGQNSfcfLkBi8IxCumn9vnZxdntcXDNTe3LyeSKzQwhTlcMCJwPWmHD1AVyalUGqTypStslkUYqBC+MkWyGfIpYYS+BfZgNcE5W4pp2G/MIpijVhSB9IZAZ4/3nQuty5arP0KkFL7HglYWl/H4dloWlI96VHy1CGerXeAXTKgzNyDcZVSlB5kFjduOlWtfTh/D2gf+jjmDy2fLhwQ8IOsUUUULsEYIkBYgw/hM5rPkKr2bYHSX+k7ptQLidgfh6F6tE2hpJqBVJBSOndduG/ki1Gb4jLt5OU6LcNXdrFipXqaSnrDANpXOQoxqSmW5nNlB17f0o1162ai4/GWXDmNNEajcpj4KuXB0VRu3ShCQNLK5185F0bSLqhyWnN/hmi7ZyGJBBt5bDwNOIIqfYMtfYFaYDid9VCh9GutVGoWNixyZPHoR1Nbm5hX8hzOowKCT0HPG8jb+gB9f0PAjftnkSD9azTYOccIEYwUUF0yvKG20NUiJqBANFDsxJGaS8hPFn4vhv4+8eY588vHLg36Cpkj46J33kJ7e2T3uOTtkfVY29LoL9tBkSihAPLEVC76LEWFMfS1t1f/8y/gLBXwE1hIOdn30dXwfxYJw7gKefTs7O4dGdblpdCRALr2CBhbFcFk6R7E9Ye9XuNbszMTjP2BRwrdYsCcj3o156AifMrmuTakUngfslNjQmO5oCYbB6svO0Kg6t0zOtU0+DO8mXOS1zVCoWqXhkcoiw64py55X7WmSplJ+Fyqm0wxU+XPNHzI82q12XoVX3VZfvK0d/tIhuyNtjMnRtcfjDVKVVhRgGsO7AYBCppa+SHvs1H7XNBpmV2EWrQTQFFcaD1CxttiFoqVVSw4HJTrT8Og2zvIKuHxvcT+hhSRBlSwtejRD1goyt4FoEid10y+Iaf646xJx8QSAKiwgcmNocSWWS6/CJNuqNcaBL6WZb0lbDFpPPL5SlUsaB2nDPiCEISyoXSaP2g4BYiaO9mIo+SCUSXucFQXXrwpVpJ45+zvuWFaokWdvxSjetrwz4O3Ouh19cYG6LjSrZWwzNIZ9mtn0ND31i4xewa5Fl2vfgBb9mgCE99ItHoKeh6Btbf2yJ0m/okNjo38S0WaMRJA/wCJovdXsBHizPRX75O+9flUDoVkYCw4RkujLsUkIxOL70/dsabNL7t6VMErzK2Y+DnSHF/Sckg2CUshC/OaqTTJq1KgWZv8uijL87JsOsAW+UpVS8Ued4o/Q0+7QR/5siUxr5Ls+vEnHKD9HhWtxUwNHuOD0V7bK3aJenMax8IlBn7kAgcoZvRlVy5l3Spm4gBhPiAiou99m8nt0oKJ3HTRYGFL+Bn4LxU2EVPJCb3mOjNP5iV30Lwy6CnoNY9/BnFdPdE8OJpAJfmUkkzSR98zpvtTbJ9fi38Uf+LMgL1RXX835xw3vdJcNlhqObSo4bzlEpdljgRRvxA42Q3W2J9gEgWyFoZBivbSWNhqW+eyJn5FbX5rD6mJFV2NbEFndQiPsVgiQFItyvYfBkuQAXhVduFt/+ABHpAaN7GwSnGfEhq1aYeDyoif6MgvluvtRnpsWEqhF3RQNpa266c9/00Iy9vsduUXzbcd9bmASDTOlS1quYYnjiwu4iVMtFM/gCPPeZII41CNT0XZEDQul9WkauAiUL/IrpUi/CqIEQIKJX5o8umz8IE1ObBUpmKdUsd3mWfVtfs03JgS5Mc2UC3xylSuErkcI3CDP153NMm7gJCMjVLuvyLqPkzmOMeomWs8QPPEUzgHjZtl2bIrjKK4hvhrqihriCvALy+RLz1AjyJ1lJF+o069ppJuEU3qau4gxi0sa2J84AmHo7qtJbBOm3cNywQege1yfwqDmMLDKHVN+gwYpUC2AQht8DzYMBAwfxdHWC9bbqW2h9dvHcdMywyEUmnkuZoHthgu5W7N5TWwz2YpZm3+GLK8r8djO5LFPnJTT5O8yce+g/yDJpH400FQADGpmbqxBelo8ky11J0EE+vIwdWNhcN2IpcqTK3twR1qKOvTm+p+TMonkyZRfdbBfNsATKeFdpvMuvry5Z7zjPe+bhVSlDzF/W4IfNqF2NQL8gOBDSSWRZV9114eyNk0oENU24re3o1RFPPsE+wwJKi60TF80eoc4wcYWWvRbH2WzlS6W/ZrOuMl4rxrhf5teW2OIYOA5VE8QjwgHKIi1EbMLV2mBxE5VBpHHClnv8KOQ/N+ZsSQgV6BIFvCPmSnKVFwgHp7JvC/LS5HYVtXITkkGs7X3ny/lxgxxOJ5fjY2QQG6uc+j+Eq5h0bmiVFrr5uaIUpT+kotRxCTj/NJr3PK0ytitje4lqcR14sAn0ivzNqFqpGLepY1/nzYMC25Dc65fAP5/wanYUW3eQwtbGa+yGKr8RImxnw0t08+vJi6N371GQCkpoYd9t7yprmMoa1iV4W9dBcUdTl4h8hOtJMLku9sjoBakBZcWYizF48h6HiQWn9sXkdHx9cjuBR+zUYF9J2NOT04uzy2OkG6sghufphRmblEmZ4n0QtR8A572H+ng8MaYMvDHB4PBtJXEejOBTqQiuNMn+RPHXnb4oMynqZMDcP5C90Wl0J6WjkrVaC9Nw8Zo082PPUqpZ7vIs9yuTzX4tfsPVmEVzNxPbdstDxPN0qibkRt/CBLMi0C3md+wYyHW9CwsrLONeyL4CXX45P38q/8ILbqq7XbrEXywPBLrAbINRlUpwxZtqXqrtRtXgFwfS9j8ssR3n+X9GEZNb4+IEFD1gF6Og8xFysAv/mcRAh+ZqhQ2ToTtCBnv9OGJN8b31KCgu0OI4wpCcVALUoJftQnGUDnFLHWI4CQVgy4X7hGIQHhGtJxAkQTHSRiklCsQDZL56wmzV4rFVFm2VRbtjbFZ3s2hfcG6DLk1HyF8lb6uZq2y7GkEcMZcTQoNm2CL2Aip9It1GxF3otkk57zNCJvBFYL8RhWls0dMm5ihNq1ikJ2WRtjEAKsufys+stFqqWkmnj75U8rvUrSMHroBSIaw42X1zsmWLeQcAT3LdDRRlwUbulNAQMCPs407mZXVfC22qBYi4taYnzWtV5ok5IyYCEDdgi7g0EHD8Ubpl3TdMD1lkcYzuseMF2lZ4EdMjC+trTMU1eloZZce+nCryG97tI/I7nk1tqdtGmWRS4jUkoB2gErcVJ7jkbKiLdkIxQIzfHNXyg6twg8sD7OkuO4tkAE4oBghwe3HHOhWt4/I4tYRiAO6c+w5U65d+QoWp7UQ9kdyzUjJ0nky53GyUn2PI9ipBdwzjuqJdfn11yuHmkv1zgz0v+EMLMl369ahKnLPZI42mWtaS5EICsNpw+QrNGYe8wBTduWTFpagHPEOHkPDkhe9wkWqELNbEZ3/N1D96dfT+Ofvq6cFat3w8Zd0GD/8Wi3TtDreFbHePBb5r5RxY2FwFk+UYryiYrFyM4xNXhLo8x2pMoBKsbpFg1XeMhuxYllKZi7rCjwn8cvjXdySY/DLlSXnl4jvsYmBChDecsOWGyy6h0Zws0cZ771eoGxcafNGDzpYBT71+z9YflPxO9/0La8if87LgNkEuo/X0e3ZjwWUVrsXiXdfOEJt8J6Ab5TPxpD4TfApkGImw/QAVObvXlLFjwFxjV4pTS9MMEOQW8mMpFwNlAO+W/N5dV87J7N+YsxoFriZ8U8nFkKRNDfdNBpOHbQ8FVOiQ8U2s3YnrmWxXj9DvPqbQOJSSoUKu48+YeMRLy7hoSSyDsRpz4jwyFkTk1bn7AZSxtafGVsnUrCqptpwtiiMkgW/UfoAMzO65RJNqvIqW4Pyoqm+aJmutuGlhKcfI97a2qWlrLnasR3bKy2Z0FpC2tcILwPc8pTO/q79L59DOkSm066HN/5WAOWo/AL+BLMDvXtVJA8ValcLL3+VyZfurlS6S6stdM1IkA8B4774ZAaMvA3iKRAEunw2e+O5ccIJULPCYQsEtDbfvSmXtC5sPAOj93IaMU+aC/1yew07oWmOxi3BH3EhvWez+lSY9+L93vs3dgNHMNy3PtOlLGPb/PcER04o9PdZ8NUnInqMdnotjf03oRZ/GDnlOdNP9bhCzHFgUmsxyllLNcpdneWkaBrYbTHKGUM1xD+a4LNyjXAwoEA5OIGhFe7OEnhrsqIRM7acu7ydLWMiuUtCLSPYo4/XfjhJ5ucscWWmawZ1Wb+oEs74pj2V9UwhlZUPZ1AqSe8rI0nk6JU/vXJ5mR9BSNmwsQ6N8zmr4nHHAigg3cDkLI896hm9th7P0ypL1N0sd6aZ9LzhoPoRkn/5xja04rUpJ8hXui3XOOhoQ3Lm47LVJxSeyPFDXYWdDBcvTFzvB6VZfDBUiBxYUfqAaudsOqSuXsFtLr8OydlP82LTvHOJ6CqYNMP3lE9DumQJVggxKv/NurjF12Gh9jJKrdzwt8UpUgUoGqVvoY5BISTmip7i2FbYNsfkvwnVi41vC/m8zuifpzga4XR1iiRw/pXG6CvsZIkSpA3trmIZ9+DM5yMO72no36c4GAlajcBkuzZSGzESyzqawGc2KGtYpNx3GtHhL3eMVoSnSbQIxKTwu9/Db0sV3356PEH65eAnpysPrJ0hoHjSEBBvPKIq2j7DudEvDCAN/k+gh6HW7uF8VWQPv9hFZw+eqgH+FVSpsvzdX7d4H14THg+wyz5ANSZu4hwVfoXNMTqktdY5JQGXPpqGu0jGzALsX5Bqr1kpv7rTybePt7aYbb7zB/4ALVUdgRUBUNw00w3dsAUEeKWyY3jEyPXbVcq0tJAt+CB6zR6wNpHeBwZHOfkdLk3rEfSze3u0MoSJgO3xsVd3TKuRHhfy0iLEK+Rk44CrkZ69wP7im5zVy7cxSDjC/3ZCc0SBcXJ838tPOkQ5wonuayLBOYmkl0yuZvkvTMBCZHtxASsX50EdkoyTv6TXzTZ+gpU6XrDkiNi8TGuaZ8ohjziGDFMXgV/Z8hCzygN0Xc53iIC0m8T2eDPPZ/3omSly1q243qNk5SkrN3pkTatQj8f3p1Oyva8nvryvk99dF+V3dx+o+7tI09P8+dkyb/c0XurAmeOpt9Y0ctNNWes2i4Lfs9rN06qGQEjFKSFCtx/bnZxTFXhB0hFw8JyvHZwsDzR6Dgg3EvccuOjTwjPhsdRnPCzd0K6NMbcL+Rd8YnYU1arJfviGTQokJINKRjR/QmniYswBR50op3/VzrupWT821rPifI91LzKFKudBMyxNt/ibFw7KkKrS0y/MMpzPVeG5nLBP4VaDbHyv5qt3zdWcFzdkswfcVMC0Pckwotgpv7M92aScvUMjQSItGOcLdrOgfhGUoiEYyPHwdx+jIybemGCXhFd2tKasrRuUWaw1BajvhKF2BXiQe5SrUVwhI+Za1fIdTREwYYTIG+OiiJTsKaOAW9NklvgOFyYk7QjrU8oEa5KaHHnQmkPjUwWw6DbHH8K46n9pTGwSt0H84KK8XvqZcL5oaKfRmgj4RH9JjcpO7xkYwAus8SlIGpMbUdrGlP/KGS/btI8SuXtMKyq/zgSzzzgsKFgVDgmtXG7LWjyJotVagKKzAKJX/IE2jch/snGeI93ADeSdPqwSeLgs8/SqKrZwXNk97HecFfs3K1tPashr28C41CSY/xSDyCox0aTpbRiVfxB31cG9JRCTnVu3WolDjTDG9kIPS27R1Icj3FoR99IVuWgciISj9vloICltqq6hprVLhK0wp+zSIVYRgRhfPTcfEtgfmGjZLLmZyg43u2FcHEgqbR589A3mCQlmxjCVHXB5890NsFj/+DKJ8obENpVF0z8MrB/4NfD2UGahzZqBwmQiv1HIXjyzV8GqVvauTL4+1Kg+mfFfImBfvQBmgM0SDLFlWx6OGtaooWlbwqFGFg1ssCRdu/SK+5dEYKZJBQLz3+JfoUi0u6LHtrwrsY95YL8wg22YkDKhRAEA5/A+uxpenZ5efj1FIP7Vvoic09eSW/+pN7U8nZ+fjU/gC0wqMlx0o+RywPAIRqVxATZEo62ve+ppnJAu4Vit7BOSqRkin9XqWzuagkV4vQ6m0t12eZXBh1LDritQi5YxElkqFdsqHLvdKab5XAXC4OnNglpqYwxIydZZ2+SzV59x9T9YqkiZqxHZ2bErbTvgeAFaEuEHG97infiFcX5WfXlsZZT77BHT55fz8qWJDrnRKH4gLOXGxdyBQ/WcbjKp0/07YVHPjtjXiNomNX8CZyXMagi9R4PSz0u8xRXfERToKLG3oYUngwYLwyErTRdGA6NAwFxhiQNh99VwUxdnOIMr/qFv+R8EEyWg6E4rB6ezfv62hynn/tlSVA6+yzDL+7phsazdgnbKUA/QwGRL75NNmFUmpUjX0Yn77JfMqR7HdCL1PJRR1bop3rI6P9sTsUQ7aAp0SOTspcnZt/e5A5owdyMTrWEn0m9Et7N5uCfVQYEQky4eFRypE+KhFrewOawKhG8j1LSZF85wLv/tMnIJoiiAZxjGirIHF0ySs2ESZDvt5viTmHGfDjeYWoZgWJffWRlFpGvrqnxdOsGAOqsoGp8lU6WCJ0sHYZp2booRXG0T+FJ2SBzstD8Kp2My/gCiZv0dzTDVITKhV1OiqOkHLulCnqcRpGiTCoBpdkgdB1cd6HoyFTvbo+KHfedjV+Fo4kJuJg5NPt+Nr7eP55GZ8jFL9TO3gzcnlzR/j6+iVbtMH7OYZwqfxYVQas3Loh6sx604eyh+E7W8UhUn4H7RlBCYIxhMnatOzLVgagVlIh7UdSF+J18cTqlGAalnWU8kI1eY5T3sRoiqb8XRrpdYk+lOEqq1kB1cruDSSNKwVnRrwIkjnKT9dNNdtUC8RaG7aPCqUuAZ7wVPW8CpeaKGvMfy+Egejbt2jMJ14pL1jF6HJv58BmjxVKca7dd2NKrRc8QwW5qA8yVuKRFnqRIEzHUvb/oRRkEe18rYfVeRtPyrmbedHq3RqwoRoSIv2aXO2iwvVS1vxatap79oU1OVeUktPNlu74qul+OodMoGR4lHEAqaUkhUMYLpVLSsnWyfm/BEFX8gNkDY6cT2T7UZ0aJG5zsBh/JmL59hcYwPduWQVV1y/JQ/2UrcsnjpR4JrcxgDKttnhY7uK64PQdF9wmtQPbPdFQdNt6oMNV7/zZDXBp9cnn26PEaed2pOr8eUxIg62pzbXDp8eB5Z6Y2qfnE6ubuGBbjChDZ4w9uPyM2+y1O0FPDm9nlxdwRODbW2nK3HvobmkoVVth67SyqqmLKdqjreoCgonk+ZinYrE8fLY7AKhCs+WDs828Nxslrs2S6m2WJe3GMwVFSq7yndXmkZtrEYbC+DTlt5KoCrYjHtMqMBvDj4UDxUbL8vzpQuJu5E4HcYbTOJ0FzvE9TRq6w5dEslqNwVSVfZmm5lYEQ+z8Ra+K9K1VU1EnlLNQ/N5CGHU7rA3XzZiysQ9KOasy8wZO8ysRy1QUcpYz/J0A+AT2lYZJVVKNWwDAiJlbJWLrrgD5aAr4aC7xq5YFCkvGJhQ7M+C+bqtJb5jm/uMGIJTo1y8iNoP4LTYt1TRRJhQMkSrHJPyGy8/aAbsN56qhSeXE0BAqbICFC8Vx8VrEz9oDR30heQDwnkvRuyCoqThZIio1Vw0nQsVstIdJ7x8OdgtnfHqFrvq2D6oHUpQvPpKUmqUnj07ALl2vEZPURadtjVgzt6YCucaNawFLIZ0iphU4qMVtg2u2BEc7BKupidRPz2UGGqFuYFjDVSfc/EKPtPdEq+PQXfXYW9DRS1UYW0bRBl61n5NFGJDBOsvf3uX79+hD0ip7LCh+ii+10IKgtW2RSrC6Bb6GipQid5+O7Buon6GBJQK033aMN10qL1pA3u+0p3ydRpBv3m1ToLuLvQ6ZY97wgj+3TCeJbozK8JaUtfq5ugWLWWVqpOE3/FnlkmX2EAhYZBoL+puhO6x40FufAsjSqJGFLGd9YhAlQsfwHPtzcnK0V34VZSHv7VxxPHQqVgf24f0/ir+uTu6kxEqj4QJZ6swA6XwJwRDCiPdmcqcjeivhKV2KzwNUzT7Nw4OyHEqlt413zWLM1DuQ1MgHIBZPB+I/vbnWpHob3+uCEWHl8ryqiyvMfcjbxLMEA7pCnniTASluSblsxGkuurZVNRXG2eWoWxWgjYD73MaK4GcUtRplYspXIfG64QljWtIKYznh9sQrXT3nokQHkEzjIK+orRJgDGbOy56PqMoMHiIJJGt+toobYSKCSVtdOaQqpI2FLfwI3ILwc6XLtySJxuQt8rOxM3u+KF0A9g9uwEpPljxwV2cip3ywcXzZgfgNrcE9QTaGrYg4R25A2wHXxQqzxl0qibUNYN7vMb84wuyW/JyVCW2wZRpOG5XK3cun3MmU3EydKgjyhbNCyZh6Z6HV443QjrUW14h4O6eIx/8bNgjy1yZHhO67vGjOIPujvrdnCvtzwPWFpouGTBs3XJm/19KkuukJBdOVV0Fe9h8iBle372ro1d/965crQ7vsnxlegcUUK4WlHOkA5SUeyIZR5gUROMC9/pE9xTW52VJ3uN31bdUulUNreK5ec9LB0LWTdtm18och0k4A2ZphGaP7Df2H7jgi3SJDXoQahDv2dLlXx35+ofcGlj/lCqxFxeQpIV3p3bdp4V/L3bdaIfUvuDD9gO84XeffyJ12khAnKVqC+jhLWU2qCf0yCmHOkUyOE+Q10d1UGatyhf0Uc/dQPa6xodr1+Hck5xNJ00yJKX3VgadCnV2zKDuKai1a/DW1Qim11WXvDmuuSvDgVDE4m9G1QJW3KaGeLXC4Jn7jKJDkJBQkJMPUeyu+dNPlr54HvpWBM7goWfGKOUXHgpXeqBBFolgLY2iSin0VA7rFS/bc2fb4JST9W1OEw2Om20L6iZp6FX++cY51e7YtSG7sNM0A4Bc+esrQa0lQY31RKx1o1nPkaoUwl2zJhXm2RfnQaq6uNJUAzhJ9315BdIOllSF5KiUd6so4114+Mi6DhcJFbwbdU3RgtyjuqljANfVNuW2bq38afGC3Am8A3fwK+7fbrn4ZXLlCJV7uWQ6VTq+oKnmxW1rufuxGcZWpGHLhE+RBxtR7KFD/HLxEk0PWGc2hQU7Zb1P2ZRQrpmbL03LmOsunh4IyqW2M8Tm5BGAo/LA6IXmT5V5j6X193WqvL8vL/L+vlDjvV9yuoqU242gruKJVDxRF6diT3H1GX6Zc0Vb5unj/Ncg0z+2yd4m2Q0FrG0m9WE5W0szzWpYr+kSLMYxGXIwcSyM1mBdJvZLNAlSBUQrjDGhS7LCyGZDI9NDJk1Sno0YQVi2PWu73vkYU5sh4JI1/K5Txid/+93HFP6ob+hQZxcDRv8bGSaNfnR0Sp8DZwzDpDNx/4IIMMR8KIiZwc7UhjZJwsqIKjS4R99I4eEj/GUPI/QtMKt+QzPM/mb2RvdQ9EHKyt71W6iK1/bwdykHxqj9AHnto5/rMNusVbld7OcCu833mRjgse2vCjd8BuyYeI+6cwfbBmAmB/nB1fjy9Ozy8zEK6af2ydXV9eTr+PQYRUfZ1L4e/zb+eAvPXAwHCjbyh+nT+E1Tf7YyPRBuJE3FBULlcVLPXAw3u9tQEM3TKtthl22H/VI4KMeA3Xhw+2yyZF240zTKrFa0WibnnnTGoyKlAlhl3emMfNKBvFP5pf2DyIZKQ/lUGY+C624nRvtB+0Rk2IIaHhHpu24n6A7cJULAG2xR52y9fWmlWBH8lXgDV60/XR2cTl13dZeqdDG+3Vgr+DqsslhEC7WG1UJbR21rOeM42KXcMSY0JbD/pXT3x+g14haAEXrxOjYHjNArbg94iW6X4GsDLjNRui0qdshpZxihU07WfsOvLuWW0xl2cFRhKljrli9QZd+sdMsqnYKYaEgy0Zujn97H0MMvVWDfXJycnxcFnadMM/MDhCOtSTOdY5pueBrHnmgYa+mVVZKI3SvAEjZF9qrNUw4J3qdVw2QYpi2F2SGWF80LCfmVWEMTo3Kh9DoXSs4ZTyCpFd31ykU1Hi7RvLKNpy/YR6IH01siHfHOqorXlDUXyk5xJIcqTtO1A3xUITj1ywKuXO43M6h1TOCqgsqTGhL5WSmNfppKgb8rFja+t7ZksArRjz2bjLqMVnoVqtIpey2d8kQcLLnHwnzpwYtqfjVuUoNLnWHdxS7iNCNEGT/PmE/C7l+IMjA9im5+PXlx9O49MswFpsI8fU262HF4wI/Ct26p1ynnSIOpkdE/JxSDy3T+/m2dGNu35TG2b1WMrWL42QbVqaf5tNG852mVS3u3TQ/cyi1rfEgTDUm4aC9Hdex6tTcnrq5BXF83m15dXeJty7xnNjvNyLnKcO30M4rmS2IG1XvAHYU4cYxqweulkmJqT+1v1CLeN7TS7zFF0wN4yx1kHChEB8TTA6Qj4LJmOsXI9S18HMbzvoLSdVDazn0MaKCu3dSmbHgLvwhHdIhlId02gqhdJ8yBw04rE37kJGjFlpPpJDTsI0ZAM7UPgXwUfAhjxNmnPoeRg5VbkRWHUXFU4xJFAYxsEgUvoVulZ+6OlqWKq1eVi1p1KeFbof59HzXf303/qsPXvBKP6kE9XPFI+evsficFV7e8jSlNNiRg92xjAm5JPlYwIVLQ7yxWLeRbt41TC7vp2RTUjlFLll4Ns5IjzvfdCNRJ3NlAoc0cqcrlbOguZyfYNefLA4FaI3wzqlJs6EmbTaqNckSVTa1bNrU1dqnwwCyXwFMkQ8yn1UYBe9hUEgiHzQeI7utXdbKVsVblabBeFZMDl1W0/e1mclkikpdWtDXMuYf+gyyT9pGtrQAXwMgI3YVaH/myHqOsNA0dfBAxtPu8zP7+/4uYl/4='
