"""The README's screenshots: a seeded node (the browser tests' own seeding), its main pages
photographed by Debian's Chromium through Playwright, PNGs written to docs/screenshots/.

    .venv/bin/python tools/screenshots.py

needs what the browser tests need (`make browser-tools`: Debian's chromium package) and
replaces the PNGs in docs/screenshots/; commit them when the pages' look changes. Each shot is
the first screen of a page (not the whole page), which keeps the files small.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' seeding lives in tests/, not in the package

from tests.browser.conftest import CHROMIUM, Site, seeded_site, sign_in  # noqa: E402
from tests.support.nodes import post_outbox  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LIMIT = 200_000  # bytes: the README stays light
# (file name, who looks, path, viewport width, height)
SHOTS = [
    ("home", "visitor", "/", 1280, 800),
    ("proposal", "bo", "{proposal}#discussion", 1280, 900),
    ("report", "visitor", "{what_we_heard}", 1280, 900),
    ("sign-in", "visitor", "/sign-in", 1280, 640),
    ("admin-members", "ada", "/admin/members", 1280, 640),
    ("proposal-phone", "visitor", "{proposal}", 375, 812),
]


async def _discussion(site: Site) -> None:
    """A livelier thread than the tests need: two more members answer."""
    node = site.node
    article = node.base + site.paths["proposal"]
    words = {
        "bo": "Saturday would suit the carers I know, if the building is open by 9.",
        "cy": "Could volunteers swap a weekday shift for a Saturday one?",
    }
    for handle, text in words.items():
        note = {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": article}
        await post_outbox(node, handle, node.token(handle), note)


def _photograph(browser: Any, site: Site) -> list[Path]:
    written = []
    signed_in: dict[tuple[str, int], Any] = {}
    for name, who, path, width, height in SHOTS:
        page = signed_in.get((who, width))
        if page is None:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            if who != "visitor":
                sign_in(page, site, who)
            signed_in[(who, width)] = page
        page.set_viewport_size({"width": width, "height": height})
        page.goto(site.url(path.format(**site.paths)))
        page.wait_for_load_state("load")
        file = OUT / f"{name}.png"
        page.screenshot(path=str(file))
        if file.stat().st_size > LIMIT:
            raise SystemExit(f"{file} is {file.stat().st_size} bytes, over {LIMIT}")
        written.append(file)
    return written


def main() -> None:
    if not CHROMIUM.is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, seeded_site(Path(folder)) as site:
        asyncio.run(_discussion(site))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            for file in _photograph(browser, site):
                print(f"{file.relative_to(ROOT)}: {file.stat().st_size // 1000} kB")
            browser.close()


if __name__ == "__main__":
    main()
