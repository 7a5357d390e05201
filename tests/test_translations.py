"""The text of the pages is ready for translation, and a catalogue really translates it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from node import i18n
from node.services.settings import change_setting, forget_cached_settings
from tests.support.pages import page

ROOT = Path(__file__).resolve().parents[1]


def message_ids(pot: Path) -> set[str]:
    with pot.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def test_the_committed_catalogue_holds_every_marked_string(tmp_path: Path) -> None:
    extracted = tmp_path / "townhall.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "--no-location", "--omit-header", "-o", str(extracted), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    missing = message_ids(extracted) - message_ids(i18n.LOCALE_DIR / "townhall.pot")
    assert not missing, f"run `make messages`: node/locale/townhall.pot lacks {sorted(missing)}"
    assert {"Sign in", "Skip to content"} <= message_ids(extracted)


async def test_pages_speak_the_language_the_admins_chose(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog(locale="cy", domain=i18n.DOMAIN)
    catalog.add("Sign in", "Mewngofnodi")
    catalog.add("Skip to content", "Neidio i'r cynnwys")
    mo = tmp_path / "cy" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations_for.cache_clear()
    try:
        assert i18n.available_languages() == ["en", "cy"]
        await change_setting("language", "cy")
        html = await page(client, "/sign-in")
        assert '<html lang="cy">' in html
        assert "<h1>Mewngofnodi</h1>" in html, html
        assert "Neidio i'r cynnwys</a>" in html, html
        await change_setting("language", "en")
        assert '<html lang="en">' in await page(client, "/sign-in")
    finally:
        i18n.translations_for.cache_clear()
        forget_cached_settings()


async def test_an_unknown_language_is_refused(client: TestClient) -> None:
    with pytest.raises(Exception, match="no translation for 'xx'"):
        await change_setting("language", "xx")
