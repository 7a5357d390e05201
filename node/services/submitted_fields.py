"""Fields of objects members submit, made safe to store and federate.

Every HTML field is sanitised (content, summary and their language maps, the same inside
attachments); names are plain text; every URL an attachment or tag points to is http(s); a
source is text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from federation.vocab import as_list
from node.i18n import N_
from node.sanitize import plain_text, sanitise_html, web_url
from node.services.errors import ServiceError

HTML_FIELDS = ("content", "summary")
HTML_MAPS = ("contentMap", "summaryMap")
MAX_ATTACHMENTS = 20


def clean_field(field: str, value: Any) -> Any:
    """`value` of a submitted `field`, sanitised; a ServiceError for what cannot be made safe."""
    if field in HTML_FIELDS:
        return sanitise_html(value) if isinstance(value, str) else value
    if field in HTML_MAPS:
        return _language_map(field, value, sanitise_html)
    if field == "nameMap":
        return _language_map(field, value, plain_text)
    if field == "attachment":
        return _attachments(value)
    if field == "tag":
        return [_checked_links(tag, "tag") for tag in as_list(value)]
    if field == "source":
        return checked_source(value)
    return value


def checked_source(value: Any) -> Any:
    """A `source`: text, or an object whose `content` (and `mediaType`, if any) is text."""
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and isinstance(value.get("content"), str)
        and isinstance(value.get("mediaType", ""), str)
    ):
        return value
    raise ServiceError(
        N_("source is text, or an object with the text as content (and a mediaType)")
    )


def _language_map(field: str, value: Any, clean: Callable[[str], str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ServiceError(N_("%(field)s must map language tags to strings"), field=field)
    return {str(language)[:35]: clean(text) for language, text in value.items()}


def _attachments(value: Any) -> list[Any]:
    items = as_list(value)
    if len(items) > MAX_ATTACHMENTS:
        raise ServiceError(
            N_("an object may have at most %(max_attachments)s attachments"),
            max_attachments=MAX_ATTACHMENTS,
        )
    cleaned: list[Any] = []
    for item in items:
        if isinstance(item, str):
            cleaned.append(_http_url(item, "attachment"))
        elif isinstance(item, dict):
            attachment = _checked_links(item, "attachment")
            for field in (*HTML_FIELDS, *HTML_MAPS, "nameMap"):
                if field in attachment:
                    attachment[field] = clean_field(field, attachment[field])
            if isinstance(attachment.get("name"), str):
                attachment["name"] = plain_text(attachment["name"])
            cleaned.append(attachment)
        else:
            raise ServiceError(N_("an attachment is a URL or an object with a url"))
    return cleaned


def _checked_links(item: Any, where: str) -> Any:
    """A tag or attachment whose href and url (a string, a Link or a list of them) are http(s)."""
    if not isinstance(item, dict):
        return item
    checked = dict(item)
    if "href" in checked:
        checked["href"] = _http_url(checked["href"], where)
    if "url" in checked:
        urls = [
            _checked_links(url, where) if isinstance(url, dict) else _http_url(url, where)
            for url in as_list(checked["url"])
        ]
        checked["url"] = urls if isinstance(checked["url"], list) else urls[0]
    return checked


def _http_url(value: Any, where: str) -> str:
    url = web_url(value)
    if not url:
        shown = value[:80] if isinstance(value, str) else type(value).__name__
        raise ServiceError(
            N_("every URL in an %(where)s must be http(s), not %(shown)s"),
            where=where,
            shown=repr(shown),
        )
    return url
