"""The one search box: people, units and change requests found by what was typed, each group
scoped by its own decision (records.permissions.visible_employees_q through
records.selectors.list_employees, units.permissions.visible_units_q through
units.selectors.search_units, workflows.permissions.visible_change_requests_q) and cut to a
few rows, so the page costs a fixed number of queries whatever the data's size.

Names are compared by their search keys (tracking.vietnamese.search_key): diacritics and case
are ignored, "nguyen van" finds "Nguyễn Văn An", "dang" finds "Đặng" and "dieu dong" finds a
request titled "Điều động …". Digits find people by the beginning of their CCCD (where the user
may see CCCDs) and requests by number ("#123" or "123")."""

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from records.selectors import list_employees
from tracking.vietnamese import search_words, word_start_q
from units.selectors import search_units
from workflows.models import ChangeRequest
from workflows.permissions import visible_change_requests_q

PER_GROUP = 10
MAX_QUERY = 100  # characters kept of what was typed
REQUEST_NUMBER = re.compile(r"^#?\s*(\d{1,18})$")

PEOPLE, UNITS, REQUESTS = "people", "units", "requests"
GROUPS = (PEOPLE, UNITS, REQUESTS)


@dataclass
class Group:
    key: str
    rows: list
    more: bool  # more rows than shown: the "xem tất cả" link


def clean_query(raw) -> str:
    """What was typed, trimmed and cut to MAX_QUERY characters; control characters dropped."""
    text = "".join(char for char in str(raw or "") if char.isprintable())
    return " ".join(text.split())[:MAX_QUERY]


def people(*, user, query: str) -> QuerySet:
    """Employees the user may see, by name words or CCCD prefix (records.selectors), in
    Vietnamese order."""
    return list_employees(user=user, search=query)


def units(*, user, query: str) -> QuerySet:
    return search_units(user=user, search=query)


def requests(*, user, query: str) -> QuerySet:
    """Change requests the user may see: by number ("#123"), or by the words the request list
    shows, diacritics and case ignored: every word typed begins a word of the title
    (ChangeRequest.search_key) or of the person's name (Employee.search_key), in any order, so
    "dieu dong" finds "Điều động …" and "dieu dong an" finds it about Nguyễn Văn An; newest first."""
    match = REQUEST_NUMBER.match(query)
    if match:
        found = Q(pk=int(match.group(1)))
    else:
        words = search_words(query)
        if not words:
            return ChangeRequest.objects.none()
        found = Q()
        for word in words:
            found &= word_start_q("search_key", word) | word_start_q("employee__search_key", word)
    return (
        ChangeRequest.objects.filter(visible_change_requests_q(user))
        .filter(found)
        .select_related("employee", "unit")
        .order_by("-submitted_at", "-pk")
    )


FINDERS = {PEOPLE: people, UNITS: units, REQUESTS: requests}


def search_all(*, user, query: str, per_group: int = PER_GROUP) -> list[Group]:
    """The first `per_group` rows of each group; one query a group (beyond the user's scope,
    read once per request), whatever the number of rows found."""
    groups = []
    if not query:
        return groups
    for key in GROUPS:
        rows = list(FINDERS[key](user=user, query=query)[: per_group + 1])
        groups.append(Group(key=key, rows=rows[:per_group], more=len(rows) > per_group))
    return groups
