"""JSON Schemas for the documents Townhall sends and accepts, and their loader.

Each ``<kind>.json`` in this package is one draft 2020-12 schema; ``common.json`` holds the
definitions they share. Two families:

- what we send (strict): actor, webfinger, nodeinfo, nodeinfo_links, ordered_collection,
  ordered_collection_page, poll (our Question), statement (a statement's Question);
- what we accept (tolerant of real traffic): activity and the per-type follow, accept, reject,
  undo, create, update, delete, like, emojireact, announce; the objects note, article,
  question, tombstone; remote_actor.

Files are read with importlib.resources and compiled on first use, once. Their ``$ref``s resolve
only among these files (a ``referencing.Registry`` without a retrieve function), so validation
never reaches the network. The ``$id`` URLs are names, never fetched.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = ["BASE_URI", "SchemaError", "is_valid", "kinds", "validate"]

BASE_URI = "https://w3id.org/townhall/schemas/"
"""Base of every schema's ``$id``: ``BASE_URI + "<kind>.json"``."""

# Files that only hold shared definitions: referenced, never validated against directly.
_DEFINITION_FILES = frozenset({"common"})

# Keywords that judge a value as a whole: their message reads "<value> is not a valid <title>"
# when the failing subschema has a title, which is clearer than a regex or a list of branches.
_VALUE_KEYWORDS = frozenset(
    {"type", "pattern", "anyOf", "oneOf", "const", "enum", "minLength", "maxLength"}
)

_MAX_REASON = 300

_short = reprlib.Repr()
_short.maxstring = 80
_short.maxother = 80
_short.maxlist = 3
_short.maxdict = 3
_short.maxlevel = 2


class SchemaError(ValueError):
    """A document does not match its schema: carries the kind, the JSON path and the reason."""

    def __init__(self, kind: str, path: str, reason: str) -> None:
        self.kind = kind
        self.path = path
        self.reason = reason
        where = f"{kind}: " if path == "$" else f"{kind}: {path}: "
        super().__init__(where + reason)


def kinds() -> frozenset[str]:
    """Return the names of the document kinds that can be validated."""
    return frozenset(_documents()) - _DEFINITION_FILES


def validate(kind: str, document: object) -> None:
    """Raise SchemaError naming the most relevant problem if document is not a valid kind.

    Valid documents (the hot path: every inbox POST) are checked by the compiled Rust
    validator; only a refusal is re-checked by the Python one, which explains itself better.
    """
    if _fast_validator(kind).is_valid(document):
        return
    error = _most_relevant(_validator(kind).iter_errors(document))
    if error is not None:
        raise SchemaError(kind, error.json_path, _reason(error))


def is_valid(kind: str, document: object) -> bool:
    """Return whether document is a valid kind."""
    return bool(_fast_validator(kind).is_valid(document))


@cache
def _documents() -> dict[str, dict[str, Any]]:
    """Read every schema file of this package once, checking that its $id matches its name."""
    documents: dict[str, dict[str, Any]] = {}
    for entry in resources.files(__name__).iterdir():
        if not entry.name.endswith(".json") or not entry.is_file():
            continue
        document = json.loads(entry.read_text(encoding="utf-8"))
        expected_id = BASE_URI + entry.name
        if document.get("$id") != expected_id:
            raise RuntimeError(
                f"schema {entry.name} has $id {document.get('$id')!r}, not {expected_id!r}"
            )
        documents[entry.name.removesuffix(".json")] = document
    return documents


@cache
def _registry() -> Registry[Any]:
    """Build the registry of all schema files; it has no retrieve function, so no fetching."""
    return Registry().with_resources(
        (document["$id"], DRAFT202012.create_resource(document))
        for document in _documents().values()
    )


@cache
def _validator(kind: str) -> Any:
    """Compile the validator for kind once; unknown kinds raise KeyError."""
    if kind not in kinds():
        raise KeyError(f"unknown schema kind {kind!r}; known: {', '.join(sorted(kinds()))}")
    schema = _documents()[kind]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry())


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    """The same schema files for the Rust validator; nothing is ever retrieved."""
    return jsonschema_rs.Registry(
        [(document["$id"], document) for document in _documents().values()]
    )


@cache
def _fast_validator(kind: str) -> Any:
    """Compile the Rust validator for kind once; unknown kinds raise KeyError."""
    _validator(kind)
    return jsonschema_rs.Draft202012Validator(
        _documents()[kind], registry=_fast_registry(), validate_formats=False
    )


def _most_relevant(errors: Iterable[ValidationError]) -> ValidationError | None:
    """Pick jsonschema's best match, then go on into anyOf/oneOf branches that agree.

    best_match stops at an anyOf whose deepest branch errors tie; when they tie because several
    branches found the same fault (e.g. an embedded object's bad id, seen by two schemas), that
    fault is the precise answer.
    """
    best = best_match(errors)
    while best is not None and best.context:
        deepest = min(best.context, key=relevance)
        ties = [error for error in best.context if relevance(error) == relevance(deepest)]
        if len({(tuple(error.path), error.message) for error in ties}) != 1:
            break
        best = deepest
    return best


def _reason(error: ValidationError) -> str:
    """Describe one validation error briefly, without echoing a large instance back."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    title = schema.get("title")
    value = _short.repr(error.instance)
    if error.validator in _VALUE_KEYWORDS and isinstance(title, str):
        reason = f"{value} is not a valid {title}"
    elif error.validator == "contains":
        wanted = error.validator_value
        if isinstance(wanted, Mapping) and isinstance(wanted.get("title"), str):
            reason = f"{value} does not contain {wanted['title']}"
        elif isinstance(wanted, Mapping) and "const" in wanted:
            reason = f"{value} does not contain {wanted['const']!r}"
        else:
            reason = f"{value} does not contain a matching item"
    else:
        reason = str(error.message).replace(repr(error.instance), value, 1)
    if len(reason) > _MAX_REASON:
        reason = reason[: _MAX_REASON - 1] + "…"
    return reason
