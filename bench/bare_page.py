"""A bare aiohttp server for bench/pages.py: answers every GET with one fixed HTML page.

No database, no templates, no middlewares: the most a page can be served at on this machine
with the same HTTP stack, the bound the node's pages are compared with.

Run by bench/pages.py: python bench/bare_page.py PORT HTML_FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web


def bare_app(html: bytes) -> web.Application:
    """An application whose only route returns `html`."""

    async def page(_: web.Request) -> web.Response:
        return web.Response(body=html, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    return app


if __name__ == "__main__":
    port, html_file = int(sys.argv[1]), Path(sys.argv[2])
    web.run_app(bare_app(html_file.read_bytes()), host="127.0.0.1", port=port, print=None)
