"""The application's routes, enumerated from its router, and the URLs to walk them with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import product

from aiohttp import web

ALTERNATIVES = re.compile(r"\(\?P<(\w+)>([\w|]+)\)")


def routes(app: web.Application) -> Iterator[tuple[str, web.AbstractResource]]:
    """(method, resource) of every GET and POST route but the static files."""
    for route in app.router.routes():
        if route.method in ("GET", "POST") and not isinstance(route.resource, web.StaticResource):
            assert route.resource is not None
            yield route.method, route.resource


def paths(resource: web.AbstractResource, values: dict[str, list[str]]) -> list[str]:
    """The resource's URL with each combination of the values for its placeholders."""
    info = resource.get_info()
    if "path" in info:
        return [str(info["path"])]
    pattern = info["pattern"].pattern
    names = re.findall(r"\(\?P<(\w+)>", pattern)
    choices = {name: values.get(name, values["key"]) for name in names}
    choices.update({name: alts.split("|") for name, alts in ALTERNATIVES.findall(pattern)})
    return [
        str(info["formatter"]).format(**dict(zip(names, combination, strict=True)))
        for combination in product(*(choices[name] for name in names))
    ]
