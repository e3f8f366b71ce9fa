"""Every URL pattern of a URLconf, each under one stable key: its namespaced name
("records:employee-detail", "changerequest:approve:execute") or, when it has none, its route."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    key: str
    route: str  # the full route, prefixes included, as Django prints it
    name: str | None  # the namespaced name, when the pattern has one
    pattern: URLPattern


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield name, prefix + str(entry.pattern), entry


def enumerate_patterns(urlconf=None) -> dict[str, Pattern]:
    """{key: Pattern} for every endpoint of `urlconf` (the project's by default).

    Two patterns sharing one name (Django allows it) get their route appended to the key, so
    neither hides the other."""
    found = list(_walk(get_resolver(urlconf).url_patterns))
    names = [name for name, _route, _entry in found if name]
    result = {}
    for name, route, entry in found:
        key = name if name and names.count(name) == 1 else (f"{name} {route}" if name else route)
        result[key] = Pattern(key=key, route=route, name=name, pattern=entry)
    return result
