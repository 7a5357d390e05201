"""The licences an organisation may publish its open data under (a site setting)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """A licence by its short name, with where it is written down."""

    name: str
    title: str
    url: str


LICENCES = (
    Licence(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    Licence(
        "CC0-1.0",
        "Creative Commons Zero 1.0 (public domain dedication)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    Licence(
        "OGL-UK-3.0",
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
)
DEFAULT_LICENCE = LICENCES[0]
BY_NAME = {licence.name: licence for licence in LICENCES}


def licence_named(name: str) -> Licence | None:
    """The licence whose short (SPDX) name is `name`, None when it is not on the list."""
    return BY_NAME.get(name)
