"""Translations: gettext catalogues under node/locale/<lang>/LC_MESSAGES/townhall.mo.

English is the source language and needs no catalogue. `make messages` extracts every
string marked in templates and code into node/locale/townhall.pot for translators, brings
each language's townhall.po up to date with it and compiles the .mo files (both committed).

Which language a page speaks is chosen here (`choose_language`): the signed-in member's
preference, else the language the switcher's cookie holds, else the best the browser's
Accept-Language asks for that has a catalogue, else the site's language.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "townhall"
SOURCE_LANGUAGE = "en"

_SOURCE = gettext.NullTranslations()
_current: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "townhall_translations", default=None
)
_current_code: ContextVar[str] = ContextVar("townhall_language", default=SOURCE_LANGUAGE)
_page_code: ContextVar[str] = ContextVar("townhall_page_language", default="")
MAX_ACCEPT_LANGUAGE = 40  # ranges read from one Accept-Language header


def available_languages() -> list[str]:
    """English plus every language with a compiled catalogue."""
    return list(_languages_in(LOCALE_DIR))


@cache
def _languages_in(directory: Path) -> tuple[str, ...]:
    # read once per directory: the request's language is chosen among these on every page
    found = {path.parent.parent.name for path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


@cache
def language_name(language: str) -> str:
    """What a language calls itself ("Cymraeg", "English"), for the switcher."""
    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


def negotiate(accept_language: str, available: list[str]) -> str | None:
    """The available language the browser's Accept-Language header prefers most, if any:
    ranges by falling quality ("cy-GB,cy;q=0.9,en;q=0.8"), each matched by its primary tag."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:MAX_ACCEPT_LANGUAGE]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if quality > 0 and primary:
            ranked.append((-quality, position, primary))
    for _quality, _position, primary in sorted(ranked):
        if primary in available:
            return primary
    return None


def choose_language(*, member: str, chosen: str, accept_language: str, site: str) -> str:
    """The language of a page: the member's preference, the switcher's choice (a cookie),
    the browser's Accept-Language, the site's language, the first of these that has a
    catalogue."""
    available = available_languages()
    for language in (member, chosen):
        if language in available:
            return language
    return negotiate(accept_language, available) or (site if site in available else SOURCE_LANGUAGE)


def current_language() -> str:
    """The language this task renders in (for dates and numbers)."""
    return _current_code.get()


def asked_language() -> str:
    """The language of the page this task answers ("" outside a page request): the mail a
    person asks for from a page (joining, a forgotten password) goes in it if they chose none."""
    return _page_code.get()


@cache
def translations_for(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (English, untranslated, when there is none)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def use_language(language: str) -> None:
    """Translate what this task renders into `language`."""
    _current.set(translations_for(language))
    _current_code.set(language)
    _page_code.set(language)


def gettext_(message: str) -> str:
    """`message` in the current language."""
    return (_current.get() or _SOURCE).gettext(message)


def N_(message: str) -> str:  # the name Babel extracts by default
    """`message` unchanged, marked for translation: for text kept in a table and translated
    where it is shown (`_(title)`)."""
    return message


def ngettext_(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the current language."""
    return (_current.get() or _SOURCE).ngettext(singular, plural, count)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate into `language` inside the block only (a mail to one member, say)."""
    token = _current.set(translations_for(language))
    code_token = _current_code.set(language)
    try:
        yield
    finally:
        _current.reset(token)
        _current_code.reset(code_token)
