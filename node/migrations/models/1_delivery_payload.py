"""An activity's payload is stored once (delivery_payload), not once per delivery row.

Existing rows keep their ids and states; each activity's payload and signer are taken from
its first row. SQLite cannot add a NOT NULL foreign key to a table, so there the table is
rebuilt; the script runs in its own transaction (`executescript` commits any open one first).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

_PAYLOAD_COMMENT = "An activity as it is POSTed and who signs it, stored once for all the inboxes it goes to."

SQLITE = f"""
BEGIN;
CREATE TABLE "delivery_payload" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "activity_uri" VARCHAR(2048) NOT NULL UNIQUE,
    "signer_uri" VARCHAR(2048) NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* {_PAYLOAD_COMMENT} */;
INSERT INTO "delivery_payload" ("activity_uri", "signer_uri", "body", "created_at")
SELECT d."activity_uri", d."signer_uri", d."payload", d."created_at" FROM "delivery" d
WHERE d."id" = (SELECT MIN(f."id") FROM "delivery" f WHERE f."activity_uri" = d."activity_uri")
ORDER BY d."id";
CREATE TABLE "delivery_new" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "activity_uri" VARCHAR(2048) NOT NULL,
    "inbox_uri" VARCHAR(2048) NOT NULL,
    "host" VARCHAR(255) NOT NULL,
    "state" VARCHAR(16) NOT NULL /* QUEUED: queued\\nDELIVERED: delivered\\nFAILED: failed */,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "locked_until" TIMESTAMP,
    "last_status" INT,
    "last_error" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "delivered_at" TIMESTAMP,
    "payload_id" BIGINT NOT NULL REFERENCES "delivery_payload" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_delivery_activit_149a36" UNIQUE ("activity_uri", "inbox_uri")
) /* One activity to POST to one (shared) inbox; written in the transaction that made it. */;
INSERT INTO "delivery_new" ("id", "activity_uri", "inbox_uri", "host", "state", "attempts",
    "next_attempt_at", "locked_until", "last_status", "last_error", "created_at",
    "delivered_at", "payload_id")
SELECT d."id", d."activity_uri", d."inbox_uri", d."host", d."state", d."attempts",
    d."next_attempt_at", d."locked_until", d."last_status", d."last_error", d."created_at",
    d."delivered_at", p."id"
FROM "delivery" d JOIN "delivery_payload" p ON p."activity_uri" = d."activity_uri";
DROP TABLE "delivery";
ALTER TABLE "delivery_new" RENAME TO "delivery";
CREATE INDEX "idx_delivery_host_39589e" ON "delivery" ("host");
CREATE INDEX "idx_delivery_next_at_a34d79" ON "delivery" ("next_attempt_at");
CREATE INDEX "idx_delivery_payload_4f4408" ON "delivery" ("payload_id");
CREATE INDEX "idx_delivery_state_5e7023" ON "delivery" ("state", "next_attempt_at");
COMMIT;
"""

POSTGRES = f"""
CREATE TABLE "delivery_payload" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "activity_uri" VARCHAR(2048) NOT NULL UNIQUE,
    "signer_uri" VARCHAR(2048) NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "delivery_payload" IS '{_PAYLOAD_COMMENT}';
INSERT INTO "delivery_payload" ("activity_uri", "signer_uri", "body", "created_at")
SELECT DISTINCT ON ("activity_uri") "activity_uri", "signer_uri", "payload", "created_at"
FROM "delivery" ORDER BY "activity_uri", "id";
ALTER TABLE "delivery" ADD COLUMN "payload_id" BIGINT;
UPDATE "delivery" d SET "payload_id" = p."id"
FROM "delivery_payload" p WHERE p."activity_uri" = d."activity_uri";
ALTER TABLE "delivery"
    ALTER COLUMN "payload_id" SET NOT NULL,
    ADD FOREIGN KEY ("payload_id") REFERENCES "delivery_payload" ("id") ON DELETE CASCADE,
    DROP COLUMN "signer_uri",
    DROP COLUMN "payload";
CREATE INDEX "idx_delivery_payload_4f4408" ON "delivery" ("payload_id");
"""

UPGRADE = {"sqlite": SQLITE, "postgres": POSTGRES}


async def upgrade(db: BaseDBAsyncClient) -> str:
    """The SQL that moves payloads out of the delivery rows on this connection's engine."""
    return UPGRADE[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    """Not supported: a node only moves forward (restore a backup to go back)."""
    raise RuntimeError("this migration cannot be undone; restore a backup instead")


MODELS_STATE = 'eJztXWtz2ziW/Sso7Yc4VUrKdh7d697aKsVWEnc7lsdWMlM9nlJDJGxxTAEcPuR4Z/q/LwCS4gukAEmkSQYfumOTuCB9AAL3ce7FvwdLYiLbez0yDBJgf3AC/j3AcInoD/lbQzCAjpPcYBd8OLd5W5hqNPd8Fxqsrztoe4heMpFnuJbjWwSzxiOwRMs5csHjggADYuBZ9xhY+AQQjIBNDGiDK+R6BAPaD3GHAAIHet4jcU2wgN4CQGzSay6x0Wv2SJMY9JkWvq+l9wBb/wrQzCf3yF8glz7j7/+gly1sou/Ii391HmZ3FrLNDISWyTrg12f+k8OvnWP/I2/IXnw+M4gdLHHS2HnyFwSvW1shqPcIIxf6iHXvuwEDFQe2HcEf4xy+adIkfMWUjInuYGCzoWHS4Qsk1waz2eVkOrsZT2ezQWHYYokU1tElg2A25PRVPf7X37NXeHV89Pantz+/ef/2Z9qEv+b6yk9/ho9OgAkFOTyX08Gf/D70YdiCY5yAGg/WjA1WEd/TBXTFABcEc1jTPyKPdYxsFdjxhQTtZN6voR3UBfYSfp/ZCN/7C4bwu3cV0H4bXZ9+Hl0f0FYv2SMJ/UzDz/cyunUc3mP4J3jTbxt53ox9D2K0xzhYcsTP6atBbKAC8rkuGsQ9XAsU0R98GX/5ML4+iVaSW/xlcja+Hk0n7BJd/OhbEnp1dPbl/PIEQHNp4fwyJDNaR+8lBuvofelYsVvZoaLw+4G37Sgl0g0OEF2DrRVSHaDR6fT82/gEhNK3+Gp8eXZ++ekEOAibdARu8c3XG3ZxfHYCvMBjl5HZjkGyvJnjocAk+GlZHKoPhH4kEJdsETnR3DjNqWxdA7W+UsMiVoHwh8nkgvW89Lx/2fzC+TQH9Vf2rR4c8RGgjSwfpfeRBPd/EgvPMPEFq9gUfS/ZlDNCPdgvKqCejv82zUAdT+KDL6O/cXSXT9Gdi8nlp7h5aiROLyYf8isSXffpK86QQwzBZl2qDBXkNutF+8L+sNV6UQItnZXWnWVA9h7ezEMIz6BfhPiMwuNbSyTGubSTHN5m1Mvr+AcJ9COlUwn8GvXSqql//mV8Mx19ucrM/7PRdMzuHGfmfnz1IL/mrzsBfz2ffgbsV/D75HLM0SSef+/yJybtpr8P2DvBwCd0iXmcQTONSXw5vpQZext6/owZNjNrm1EXiOvxbvN4Gy5iuG8x1FnJPYzyVmtqneYm/QPNCbafohnYkWGPPpbKUef+iZmSEyEtsp8ts/O+BOaduXtIuRLYhTk0Hh6ha84yd1JKOl5RRVJgSn2IBD/+do1svm0KoI5cZ+e8k86unMnV5NMSuGHofEf+jkhdRZ1ds746uAhJIRYCNVtCU2CC1IlWF6eXSzV/l6JFQSP2CgnWQBXErnlvPYXKJw8I7/gBTlkfffrw2CJPjolwceebZBGvCUZTQv9X8JKJIRvFvXRqRy0DjF524eM6hpFRJOjfTv9iFDpWTkc3p6Oz8eDPzDaahZrdWh4v81cghvf8D2avxl4kQdKiO+XTQBh+iu4Nq+NPqVabA1AYxALAoj9HUSH+J7/wAAn8Ofk+BA/I8VkUyUYAesCiP9N/PIR9QdBpHz3uOdD0wbr/UWJN/318/ObNT8eHb97//O7tTz+9+/lwrSgWb1VpjB/OPzGlMaPwb45IBa6lEoeKmu/Hm/i88GejT4dvf5YJP9Fm5fEnfjPr6OIIKeAbt2/OXdsYxG+OJQB+c1wKL7uVBZfM/4kMf6Y4hbNSdQFdmMpNhVFrmsgsfBPMbcvYIuyzlmsw5hPj39mQD32PYImwwGn2683kUgx2WibvLrMMH/wH2JbXYRtVBDlDozr0k4/yDLPOLtZBPvTDp6y32MprmZdtxm/Z6Nap3Za1ui2fe9uuw3G50YL9SFxk3ePf0FPdNmw71rJ9W7EFN3HRrN2bxUvcgdjcDQek0taNmkgwLUM7lLjARUviIxCb01fBPLRORQRKOSGBufr3wQJiMyR5mWRJB2bwD82VfEaupLZMn8ky3cy264KVOrgaX1PN7iQiTN/iT9eTr1cn4JNLAucW34yvv52fjk/ADXJXloFu8ejq6uL8dDQ9Z0Ijx7Ejasktnlx/Gl2e/x7dmrj3EFv/t3ZKqw+o1HBWDKbANuPLnrpptharzTIrfDjdJ+Ml+4Ts2pRINOZuaG59qoO3HW3AChAnEhpiKYj5vwoAx+17QCRtAF0vWC6h+1QEuJyumxLpAcZNk3XLUzzEaD9DPkcz03n/bvbAFWgWVYq4SKPoPrC1edbxnHxXDWJkhNqshrcM7DCarRwyykjpmS0JtkcBReZsqwkuktXASwJ/R2ybPFK7VxX1gqCGXAly+h7bQZ4S1JBLQv6AnoSRmnKsEwkd9pfDOIzdzxhwDhKkfJabM0XJHkzspq2aJcQBtO2nGXQcl6yQN1uv0IrOvg096WxcBQfgHfKN7bgBWUmdt9bmvLUw4LrNKGcl9Si3eZR1dmK5htFfmk/gmFuOelZSj3pbRl3wsa9zaZQzKKN8CGvXJMp0AkjHpoFU9hbEHlUg2dewRNhkzNNdAYv76eymWA1YrHPPXPK4I1QfeVd9nVmJV0QjVY1U6CGln4y783J1zroa0556u2CFuR87wjThnfQVIscldNuF9q5Z8VE3PV3IqZJk8LpDu6F0HXXT18kUZ8LvXjeg11nwDt2hZiuyc9GOb0SqZEdnppISjT1T9TOu6CvGMs6Wl9Hg1131cd651or+RcxJvx+wfOL+hmS0h66gtU1uBEOgLD0iQmdDhkQ8IJuzJKYLBKJRBFQIkLtsAv8vLFMfoxVygY3gCnnApxIecumVYvrEzr3tUAagFZlXvU6oSH3tysG8omgvSEdNxPMUPFC68Iva8jx8zsIva1eVaK1P+7EqFvtMM4mUuEuW0mZhQPVq+wn4hNX/jwwtuhRDH3jB/T3yfI+u0o/Ap98zuCMuPz2AruWWzyq2hHaLKHduz73rmjAdrQkTjWJxCCroeolILzaGXCH1Q5mcLdqqvJT6YSFrK/qYEO2Ofkkqu3FRsheYN02uCaMX3owqr55wupcrnkXJ5jL/j1qtfmYPdNg6w3Qt3CBpLDp/YaCG76B4fsPo9HR8NWXHN7DDQxz6mrf4bHx6cX7JrpnIsC2MWnKig4ugJ5r75atPIqEJfVuuOaoc4axUD2BvhryahKeVaR45Uc3hag+tQ3O4+s/mkSrVFH+ic3EawAbtLS24lfLWsg963+pbbPkLsa2yxXOCfSqJ1YhdXqhvqToAGbH++MUbAL+iapmT4jNkh0K5cJkCNaJt34GsIza3Boh9sSWL+R4QlvVyt2wJl3ZzFzawDMD0NcDl14sLtQJx+WVn51DD9jSpTsQaMqts3cGGDzYxHgaCQEN4Y1gVZJivm0gEGKKqeTyQAg7mT8AyX7JqejAq/R6W2WG/eAgkNGngLywPYPpw2sNd4CFhfGG/nQtr+D3QSRP+9S69rCv4PWvAOR4M6fTcqH0vvNl1O+6iGa4AbyLRQ4Dr8iFp/2ij/lHtyimf7/1y5exEi9mfZnWGbGuFXCFjb32vUr8y0602qlhUf06O2/EJuJrcTNm/jERxEBa9eQl4Tscv4NG1fB9hRslgPDvaM/ZCvnhIx2CsamAJjvSp6yFClSt+UByeSEr25LWvvydhPUyXT/qp+mjpsH/DppoK0joqSH5wpSNWOTmtceh6cG0Em5qaSjp03F4XmZUrg9o1DghtGqB42KUpIH/5Ov7KqB2hNCN7XJx/G1+HbA+uHbCrH0fnF+zSHbTsttA/oi1YkHdUHj5LiTQX3Dmsd5vdW9gsr9goWjEC8f6dH9QRy0WKe8Ccq9TqDLBvCWJD1YOdl9Usk1aPNPT8GduTApXVMielmQbFJZNDhFxXlN5S7mbLSmlXm3a17XGG98vVlqtqF+qj29W1y8jq/arN+5UDn2wCTXX+VkauLg2/n660KgJRCGtxLJTZLbFb+irpsVvjIc0iyszENp2BmB+CiuBBapQ2xxBmqVkiQdfAiZcfeiw33/K4rx+ZAGKTESmAR6cWuzUEnk8nmgkInVs8bRPaNvf4c9ch4uL3hLEtiIC7UeeTdJ5oi1e0YWeCAz/AmY3sE1PPHspK6eCANNxzYiqd4BW37wXE2hztxFB0wSpRoHoUDNWdi1qmSRzdHPcd66IpqrZRtVSBRpvUUS1XZO+SNrJUGKogrqu9UmWSMB1wCB4tfxEqjSYrLsJ+Cp+fIrYwegr0HpBZyoDZV99C4ktczJfPz/BntBvjWKuuTamu+nDxehXVrsX9a639cD3+dXzKr7mIJY20JfjfLZWr0a+kvwGAeKdSy5nOSfUpqXdvccx1cf9tkN1vHcseIFvhSs8oXs1kirYNYVkXem52bU7EXSuyGltJbFEL4xOfGU1VYMJ9juir5QZcTHDdbL79lZlIjwg8YGY4zUlADaY4xTMsCfzCA6xO/gLOLZsaVUMeDGDWlmG5RmD5YE5vP4gKEe+57x0iDGFOqoqtkEj0z1zYH0e43DRjb4CMgBriaMaosoErcgGV7qdl4pqqWtBXLNfzY4y2OcxSIK8pIW1zvmYKylAzdTuqalZSj3KbRznAcEU/Sg50YZgrDwnOSepDgRUOBQ6JvoFhIM/bYjEViOuvrG1fWUtyllPntAl0/OwpbuWafnJwnGTqcpEExDVwzvRB6WNCYmWchVDY76GubrIHhxwgGYLRTn0L4zUuMizHiqvtpzkoOmjTiaBNu/hGz+1jaySQQ98jiA+oyML9683ksswATmTye5hl+OA/wLa8Lro1KwBmaGR2rgIlJs9+yW1JrIM8JYYuWIiasdsEaHKiOkLTEtVCJkKz3qfUAgl5MR1J2BxJyKgE2t1d6e7Oz682+bu5znvuo2WpQsxvSujDVtxOolgio6fRFzTzqit0Xbb2ronwc0R1VsS908eHx5wwT1/DZpI2nScumD+xGojEFfrCa3zOZr94qmQPHXVdpUcrxt0KWNR1skQMHIdqG8RjwR7aIu/fSkD+/m0p4OxWAW6ifmhKWqiHMNecZMKO+hSt6hvzTBJBDbpCmdFYuVKc5QXBHlRCaAby0oTcimNwE5FezO2mc3x+XFrw2eRyfAJMgpGuA/ZDkCuU69noUjbbryvaUfpDOkodl7Bw+VbjnpfVwXYdbC9xLa5CzofAr8jvDKudius2MvF13pwntALbwg+/hIxWwitwe8i+Y2U3MFohN3L5DQGhXzY/ev3m8+jV8bv3wLTY2dDCCPt+e99z2Y4fxVVY22kr4dCo2I6JRO8cf3X4oDg1yyUiVp2cBZProkFFb4mW8zBfRsWM+TJm3LcTEErf4i+Ts/H1aDphl+iqQd+S0Kujsy/nlycAmsuQ9f78xgwmZVam+DuI2/dA826gpjd7AjuES2EJT4s0ZyoetXohT/F11cBsHsjO2NzfHYsqnVtYA1lJbQu0zRbIGvsr8rClrZ+W1KPc5lHuVm2CZiNS/fXoxGOneqR7QU7XWd/IfUswKwK9BfnNIEEXQZZlvxVm2B6OXN6fk+qS/nODfD/8SwueqvTtYZW7ih2yO/NSLaWKeEUCAOLQCgTGAuJ75IE7lyy5k+kRzcEB4we8ChxuOw6BTZsE9K+5DY4Pj9+/pG99O1hBO0C3tNvw4p/iul71Pm4Ht9YDEnxKFcfdoj1Wi+yh76Xc1cUHrgh1eUrCWkDnI+yQjxA45pY6WVZS62Rt0ckEqvi6wGQLYi+TOSuXJtrRojuVmxlJ2kiQuemA+gj7IJQCB5fEp+1Grm9RyIfgLwHyWONo/2DFSZxgThcOnqPoggWxTQBpL84TIHciFvf+H6ALp3eUr62rT9bK7FMlZfeYi/3mWALgN8el8LJbueNpvRlPxxasH1WlJdJitdWVKEzlNfKdLSth4ZmLHPuJrvLqZwIXRBs7trbj3GC+V39XJmPnxDTacmjzfxVgjtv3Ll777vBQAl/aqhRefi9Hug6WS+gqHWSREukBxk2zUSNFXwXwlIgGXD2tgASuIVhBKib4WkLDrQx34AqUvyrrRaT0dRHoZnZDqilzw99Q17ATuQZLt8XaSGdV7O7VuBn8z12ADU7knQeW7VvYe80e+7/PsMTU4mlee762YfbnZPuX0tFd53Ix4t+imEI7I9O9GOUwUr7lmdNIj3I3RnlhmSbCWwxyRlCPcQfG2EXQI0pl8QuCvTMIavHe0MFYEMUjZTIyugzcZipcCFgRYV0DLseCy8ws1QJwqVrZFn7Y8VjPkABwQTvqEdzZKCa83wtGU3jfJ4iU+CapT5xa66bYyo8hnWA0JfR/m4EdpTvrpC5SPfUcYoviu8o4XUX99BEil1DVShgGV4cp1VdPoNqK6MVX81KyV7zWbyJ8zey4oUzGfcTG4gXl+bYUHxPMC88f/LFw0d0fL4cAvb5/zc+g8hx2wBDwybohI02/8EA8I4Sp9zU9RljnPuG9sV51cftucML4WBXwr7CnovaNkQw6TwuLlgfVaZ4R65M11cCEr7C5klVqR5sroQJ3bBhkja7MBGxT1e3EvijdtCPjY+Oe7UPJfKMRWEBvQZvTjZNlAMVsap84lsF40h5iNjjdSvm5p68M6CETPFp05gQ+Tw568V8vRPTsfXW7YUvmKOktuTUrVNWW3DZe2vNtyUdSrs2jCtfmUdG1qfdjvR+3aRg6vx9fQc97JK55jTwkzJrKNqjcl52o6cxdt5XYm6kx+4rF6LiNmyToLuEDS8+l2yiMikmBxwVhF+4J3z0tF8QPBAdhWTJee+6laKeu5yG6nJ0uZ9cmeGsuZ9eiWkkt3Qd6Ea4PtquOG+jCuN0YX10mqXwF7WZKvkyZJBhW21FkhWSE+mQ47a2AoC4/1SDnJqkYtTPpRrb2VNvmrzTtJvPpik1O8TxuFN6WTWBZdNtd2otzKES2fMStqDDh4xYbDffpAoEV4UW13MCmVjS5o0Z0XJEkcoafAI82sBHzhi/pQFkO/dlYEMugPbKzJh8XCLNjKQ2beMgrWu61PUXXQWmxy3FYYePHAywYg6pMt7RYg4lu6yudzXRDmHZuiYIaG0z+lJy2B1ttD7JVcStzMC2ox7jVY6xt/h/Q5m9PtPQHUVwKtqtMZgPhf9COvH2m2k+cuE3HPkEp9jQ1A0RnXqiA9C06tKUv8BRtyM2x+ZhiXntk/lk/+bri8jub5ZP4TxEa58kXXG2iz0jSUKrcNsTeI2JRbvYVucCArAI2Iay5hTkXjbgmvcF+ChO2wD1cIfb7UlxRe+cehaS32P9AN0KLvz8FNLmqiXDt2u6GFXb6egQLY1A6AGkRHWsQ2OJtIxc2C2aO8C/DLjyuYBceF9mFfGlVXTZSQn2atM/LLBRnEyrHISSTCds2BLLaS2rqbZ9YrfXq3fKFVZXAOHFTpAKmkjorFMB0K6k4DZ0nlvEEwjfkIRQcF5EHB7zE8pDFTuJzzcNDUeIcwil5xAto2zyZUECurOMBOjrT4mW7SuujC7IfCFYTucNuE+kGC72YLrzzB2qjMji7Hn2cngAue4snV+PLE0AchG/x6cXkZnx2EsYaTXbU7eRqyi5Akxpt7ApVPy4/8Sb8DCJ65ex6cnXFrpj003aQmf/GpNIt9n4kbhgt3TYuoA/G7EJcYIVcT81IS0noY3nzBtqcmEpFs+P2PahrVfVV1FLAGRklbvPyCqxpmXZUYGXP600FVh1kLF9oehxkdO8htjxuIqpRYAWSmgRb3FR0FLc9fqn0lN2Df0q29l/LZrh0dK34gSvzZAXl2Hb0VqlUYmvbPiIXKQ9V9F0ZBZGb6Vui8PcFLB0371bcPDcTKzynqcm62YE6S9myMpnqydmakWDIRo+7G4IH5PgsgdxGwCNxIw/QufIEmALIXoAT0g2ydKDLfhUlq9f2HHHIPeVOxgHLgdch9vboIsMKZ2s0WvIKdyLQp0jl3hTt7h3q8jxezlqcB2vtTvUAxYJgD5xpDZ1Yqf01P6C/Zq39KBNdsoJ92kKemexSWhdanfAiXxa6bUMhTXrJTsM2FdO6RtAoo/eu71WaJm66lYRJcmE98LRXxrfAmAR0ckT0i9BCG4L5E/2N/sc8TSJjY4sehGbEA502/K1jl1ZkIrJNWdsTrVmGquwJRcVrr+pWiwpn1aVuxV+ILL5x+x6yd/dPVkmtNgoQZ6X6V4NVWw6N499fw4Hv7Kr1o3x9qJhSgSNfnykmVdzI3/pIsXoNAIe4wjK60Z0Nyv+6jYTqH9arfeGBA16+1kVL4iPgIXfFr3604f1LEHYZxg8MsmRusmEqlBAp/lGtKJF5UNNTNMG7ozZCp/Ssjvtnw1VO1R2eFtKucEmoy86mLafu9upQ2qbJu3d021Cd2GmZHkCuDTVtqNVkqNGeiL3aatRzojp5p83JO3ywAjEVtWrjSkv1YCVtevMKrR2k6ArJSWmie5F/s158VGtpFwU1vBt9TfGEbNDd1DKAZb1NuU+3hMJeMpP3Am/Pq2kXv99WldOekgckjOmHN4ZVPj1/3UTCpTdH0GUls5jMEHj0o0ImP24KQA9YvgduPo9eHb97D8Jji0T+um260MdY6WOs2gRvzcdYdcsm1rTH/RjFNvT82ZZHW+VltVncZrNYn3SkD+NpmYIrcxjP8+i2vHSbQLWNS7qVa7aruIVcAVpmIr7womNZWKiY0KthGduSArNVErf4Fv/h2cT/IzrD9XbA7rJ3Ag4rS8uEbwcAAqZlzaGH+PkxJ+wUGMsDh/zMV7RC7lMoY2EAb3F4jMyr6Imsuh7PouPFbPlz6evERUq5yPq4mViGvgQ/cuYWHzDxYfgiVBGnr/qSPTmcuZsL4CY0WqdYB3d9k3Wr2bXdiJxrdm2tkS7+Kcjv93Hz5nb6wxZv89o8koO6v+aRJnfWULjHKa2JVFm4Jy3WJ2Ab2YB1Ne8WJjjqat77qOZdXFv2BGrvDg7KQ5tZUjeDq2n4sm6NdtLwR8i1jMVA4NaI7gyrHBswabPJtVGOqI6ptSumVlrouNwCL6903IcUzON372TM8Hfvyq1wdi/HWKcflQLCUfMeonskdTzNUcXxNEfF42noE33F8kQpEV2dSLE6UUGhbXIz+/P/AfBs7HM='
