"""Translations: gettext catalogues under node/locale/<lang>/LC_MESSAGES/townhall.mo.

English is the source language and needs no catalogue. `make messages` extracts every
string marked in templates and code into node/locale/townhall.pot for translators.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "townhall"
SOURCE_LANGUAGE = "en"

_SOURCE = gettext.NullTranslations()
_current: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "townhall_translations", default=None
)


def available_languages() -> list[str]:
    """English plus every language with a compiled catalogue."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return [SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE})]


@cache
def translations_for(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (English, untranslated, when there is none)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def use_language(language: str) -> None:
    """Translate what this task renders into `language`."""
    _current.set(translations_for(language))


def gettext_(message: str) -> str:
    """`message` in the current language."""
    return (_current.get() or _SOURCE).gettext(message)


def ngettext_(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the current language."""
    return (_current.get() or _SOURCE).ngettext(singular, plural, count)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate into `language` inside the block only (a mail to one member, say)."""
    token = _current.set(translations_for(language))
    try:
        yield
    finally:
        _current.reset(token)
