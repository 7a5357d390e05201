"""One open data file of a scope, ready to stream: its name, type, licence and its bytes, a
chunk at a time; and the Data Package (datapackage.json) that lists a scope's files with
their licence, for the CSV files, which have nowhere to say it themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from node.i18n import gettext_ as _
from node.services.errors import NotFound
from node.services.open_data.licences import DEFAULT_LICENCE, Licence, licence_named
from node.services.open_data.participants import participants
from node.services.open_data.scope import Scope
from node.services.open_data.tables import TABLES, rows_of, table_named
from node.services.open_data.writers import csv_chunks, json_chunks
from node.services.settings import site_settings
from node.timestamps import format_time, now

FORMATS = {"csv": "text/csv", "json": "application/json"}
SCHEMA_BASE = "https://w3id.org/townhall/schemas/"


@dataclass(frozen=True)
class ExportFile:
    """A file to stream: what to call it, its media type, its licence, and its chunks."""

    filename: str
    content_type: str
    licence: Licence
    chunks: AsyncIterator[bytes]


async def chosen_licence() -> Licence:
    """The licence the organisation publishes its data under (site settings)."""
    return licence_named((await site_settings()).data_licence) or DEFAULT_LICENCE


def licence_json(licence: Licence) -> dict[str, str]:
    """The licence as the JSON files and the Data Package carry it."""
    return {"name": licence.name, "title": licence.title, "path": licence.url}


def schema_uri(table: str) -> str:
    """The `$id` of a table's JSON Schema (schemas/open_data_<table>.json)."""
    return f"{SCHEMA_BASE}open_data_{table.replace('-', '_')}.json"


async def open_data_file(scope: Scope, name: str, extension: str, source: str) -> ExportFile:
    """The file `name`.`extension` of `scope`; NotFound for an unknown table or format.
    `source` is the file's own URL, which the JSON carries."""
    table = table_named(name)
    if table is None:
        choices = ", ".join(table.name for table in TABLES)
        raise NotFound(_("There is no open data file called %(name)s: the files are %(choices)s.")
                       % {"name": name[:40], "choices": choices})  # fmt: skip
    if extension not in FORMATS:
        raise NotFound(_("Open data comes as .csv or .json, not .%(format)s.")
                       % {"format": extension[:10]})  # fmt: skip
    licence = await chosen_licence()
    people = await participants(scope)
    rows = rows_of(table, scope, people)
    if extension == "csv":
        chunks = csv_chunks(table.columns, rows)
    else:
        head = {
            "table": table.name,
            "source": source,
            "schema": schema_uri(table.name),
            "licence": licence_json(licence),
            "generated": format_time(now()),
            "participants": len(people),
        }
        chunks = json_chunks(head, rows)
    return ExportFile(f"{scope.name}-{table.name}.{extension}", FORMATS[extension], licence, chunks)


def data_package(scope: Scope, base: str, title: str, licence: Licence) -> dict[str, Any]:
    """A Frictionless Data Package describing the scope's files (`base`: where they are)."""
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        for extension, media_type in FORMATS.items():
            resources.append(
                {
                    "name": f"{table.name}-{extension}",
                    "path": f"{base}/{table.name}.{extension}",
                    "format": extension,
                    "mediatype": media_type,
                    "encoding": "utf-8",
                    "schema": {"fields": [{"name": column} for column in table.columns]}
                    if extension == "csv"
                    else schema_uri(table.name),
                }
            )
    return {
        "name": f"townhall-{scope.name}",
        "title": title,
        "licenses": [licence_json(licence)],
        "created": format_time(now()),
        "resources": resources,
    }
