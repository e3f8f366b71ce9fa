"""English left on a page served in Vietnamese: the text a person sees (tags, scripts and styles
stripped) and the attributes read aloud or shown on hover (aria-label, title, placeholder, alt,
a button's value), searched for a curated list of English UI words (issue #12)."""

import re
from html.parser import HTMLParser

# Words and phrases of an English UI (viewflow's, Django's, Django admin's) that no Vietnamese
# page should show. Whole words, case-sensitive: data (names, codes, usernames) does not use them.
ENGLISH = (
    "Active tasks",
    "Actions",
    "Add",
    "Apply",
    "Approve",
    "Assign",
    "Brief",
    "Cancel",
    "Change",
    "Check Applied",
    "Close",
    "Completed",
    "Confirm",
    "Created",
    "Dashboard",
    "Delete",
    "Description",
    "Detail",
    "Done",
    "Edit",
    "End",
    "Error",
    "Filter",
    "Finished",
    "History",
    "Home",
    "Inbox",
    "Log in",
    "Log out",
    "Login",
    "Logout",
    "New",
    "Next",
    "No results",
    "Open navigation menu",
    "Owner",
    "Password",
    "Permission",
    "Previous",
    "Process",
    "Process id",
    "Process summary",
    "Profile",
    "Queue",
    "Rejected",
    "Reset",
    "Rework",
    "Route Decision",
    "Route Resubmission",
    "Save",
    "Search",
    "Skip to main content",
    "Start",
    "Status",
    "Submit",
    "Summary",
    "Task",
    "Tasks",
    "Toggle theme",
    "Unassign",
    "Unassigned",
    "View",
    "Welcome",
    "Workflow",
    "You",
    "of",
    "the",
    "and",
    "your",
    "with",
    "has",
    "have",
    "is",
    "are",
    "this",
    "to",
    "for",
)
_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True)) + r")(?![\w-])"
)

# `label` is how Material web components (md-outlined-text-field) caption a field.
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-tooltip", "label")
HIDDEN_CONTENT = ("script", "style", "template", "noscript")


def _hides(tag, attrs) -> bool:
    """Content nobody reads as text: code, and icon ligatures (<i class="material-icons">search</i>)."""
    return tag in HIDDEN_CONTENT or "material-icons" in (attrs.get("class") or "")


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden_tag, self._depth = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden_tag is not None:
            self._depth += tag == self._hidden_tag
            return
        if _hides(tag, attrs):
            self._hidden_tag, self._depth = tag, 1
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag in ("input", "button") and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == self._hidden_tag:
            self._depth -= 1
            if not self._depth:
                self._hidden_tag = None

    def handle_data(self, data):
        if self._hidden_tag is None and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


# The old-style placement of the tone mark (xóa, hủy, tùy, khỏe): the site writes xoá, huỷ, tuỳ, khoẻ.
OLD_SPELLING = re.compile(r"\b\w*(?<![qQ])(?:[óòỏõọÓÒỎÕỌ][aeAE]|[úùủũụÚÙỦŨỤ][yY])(?!\w)")


def _allowed(text, allowed) -> bool:
    return any(pattern.search(text) for pattern in allowed)


def english_on(html: str, allowed=()) -> list[tuple[str, str]]:
    """(English word, the text it was found in) for each text of the page that has one; texts
    matching one of the `allowed` patterns are skipped."""
    found = []
    for text in visible_texts(html):
        if _allowed(text, allowed):
            continue
        for match in _PATTERN.finditer(text):
            found.append((match.group(1), text[:120]))
    return found


def old_spellings_on(html: str, allowed=()) -> list[tuple[str, str]]:
    """(word, text) for each word spelled the old way (Xóa, Hủy) in the page's visible texts."""
    found = []
    for text in visible_texts(html):
        if _allowed(text, allowed):
            continue
        for match in OLD_SPELLING.finditer(text):
            found.append((match.group(0), text[:120]))
    return found
