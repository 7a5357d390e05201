"""Drives bovine users through bovine's own client API (Moo-Auth-1), one JSON line at a time.

Run by the peers' virtualenv. Each request on stdin is one JSON object with "op"; each answer
on stdout is one JSON object: {"ok": true, ...} or {"ok": false, "error": "..."}.

  {"op": "login", "user": U, "domain": D, "secret": S}  -> {"actor": <as its owner sees it>}
  {"op": "outbox", "user": U, "activity": {...}}       -> {"status", "location", "body"}
  {"op": "get", "user": U, "url": URL}                 -> {"status", "body"}
  {"op": "items", "user": U, "url": URL}               -> {"items": [...every item, walking pages]}
  {"op": "proxy", "user": U, "url": URL}               -> {"status", "body"} (bovine's copy)
"""

import asyncio
import json
import sys
import traceback
from urllib.parse import urlencode

import aiohttp
from bovine import BovineClient

MAX_PAGES = 50
clients: dict[str, BovineClient] = {}


def parse(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


async def answer(response):
    return {"status": response.status, "body": parse(await response.text())}


async def login(request, session):
    client = BovineClient(domain=request["domain"], secret=request["secret"])
    await client.init(session=session)
    clients[request["user"]] = client
    return {"actor": client.information}


async def outbox(request):
    response = await clients[request["user"]].send_to_outbox(request["activity"])
    result = await answer(response)
    return {**result, "location": response.headers.get("location")}


async def get(request):
    return await answer(await clients[request["user"]].client.get(request["url"]))


async def items(request):
    client = clients[request["user"]].client
    found, seen = [], set()
    page = (await answer(await client.get(request["url"])))["body"]
    for _ in range(MAX_PAGES):
        if not isinstance(page, dict):
            break
        found += page.get("orderedItems", page.get("items", []))
        link = page.get("first") if "first" in page else page.get("next")
        if isinstance(link, dict):
            page = link
            continue
        if not link or link in seen:
            break
        seen.add(link)
        page = (await answer(await client.get(link)))["body"]
    return {"items": found}


async def proxy(request):
    client = clients[request["user"]]
    response = await client.client.post(
        client.information["endpoints"]["proxyUrl"],
        urlencode({"id": request["url"]}),
        content_type="application/x-www-form-urlencoded",
    )
    return await answer(response)


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    operations = {"outbox": outbox, "get": get, "items": items, "proxy": proxy}
    async with aiohttp.ClientSession() as session:
        while line := await reader.readline():
            try:
                request = json.loads(line)
                if request["op"] == "login":
                    result = await login(request, session)
                else:
                    result = await operations[request["op"]](request)
                reply = {"ok": True, **result}
            except Exception as error:  # reported to the test, which names the step
                reply = {"ok": False, "error": repr(error), "trace": traceback.format_exc()}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


asyncio.run(main())
