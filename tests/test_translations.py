"""The text of the pages is ready for translation, every language translates all of it, and
the compiled catalogues the node reads are the translators' .po files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from node import i18n
from node.services.settings import change_setting, forget_cached_settings
from tests.support.pages import page

ROOT = Path(__file__).resolve().parents[1]


def message_ids(pot: Path) -> set[str]:
    with pot.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def catalogues() -> list[Path]:
    """Every language's .po file (Welsh at least)."""
    found = sorted(i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))
    assert any(path.parts[-3] == "cy" for path in found), found
    return found


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def marked_in_source() -> set[str]:
    """The singular id of every string marked for translation, extracted from the code and
    templates as `make messages` extracts them (babel.cfg), without writing a file."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT, method_map, options_map)
        if message[2]
    }


def translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: path.parts[-3])
def test_every_marked_string_has_a_translation(po: Path) -> None:
    catalogue = read_catalogue(po)
    done = {message.id if isinstance(message.id, str) else message.id[0]
            for message in catalogue if message.id and translated(message)}  # fmt: skip
    missing = sorted(marked_in_source() - done)
    assert not missing, (
        f"{po.relative_to(ROOT)} has no translation (or only a fuzzy guess) for {len(missing)} "
        f"strings: run `make messages`, translate them in the .po, then `make messages` again"
        f" to compile it: {missing}"
    )


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: path.parts[-3])
def test_translations_keep_their_placeholders_and_every_plural_form(po: Path) -> None:
    catalogue = read_catalogue(po)
    assert catalogue.num_plurals == Catalog(locale=catalogue.locale).num_plurals
    problems = [
        (message.id, [str(error) for error in errors]) for message, errors in catalogue.check()
    ]
    assert not problems, problems
    for message in catalogue:
        if message.pluralizable and translated(message):
            assert len(message.string) == catalogue.num_plurals, message.id


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: path.parts[-3])
def test_the_committed_mo_is_a_fresh_compile_of_the_po(po: Path) -> None:
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    written = {_key(m.id): _key(m.string) for m in read_catalogue(po) if m.id and translated(m)}
    assert compiled == written, f"run `make messages` to compile {po.relative_to(ROOT)}"


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_welsh_catalogue_uses_the_welsh_plural_rule() -> None:
    translations = i18n.translations_for("cy")
    forms = [
        translations.ngettext("%(num)d comment", "%(num)d comments", n) % {"num": n}
        for n in (0, 1, 2, 3, 6, 7)
    ]
    assert forms == ["0 sylw", "1 sylw", "2 sylw", "3 sylw", "6 sylw", "7 sylw"], forms
    words = [translations.ngettext("%(num)d word", "%(num)d words", n) % {"num": n}
             for n in (1, 2)]  # fmt: skip
    assert words == ["1 gair", "2 air"]  # two softens the noun that follows


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
