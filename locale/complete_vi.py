"""Make the Vietnamese catalogue complete: our msgids are Vietnamese, so each entry's
translation is its msgid (and a plural's one form, Vietnamese having no plural, its msgid_plural
form). Run by `make messages` after makemessages; tests/test_catalogues.py checks the result.

Only entries whose translation differs are rewritten, and a fuzzy mark (makemessages guesses a
changed msgid from an old one) is dropped, since the guess is always replaced by the msgid."""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent / "vi" / "LC_MESSAGES" / "django.po"


def complete(path: Path = CATALOGUE) -> int:
    catalogue = polib.pofile(str(path), wrapwidth=79)
    changed = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        before = (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags) != before:
            changed += 1
    catalogue.metadata_is_fuzzy = False
    catalogue.save()
    return changed


if __name__ == "__main__":
    print(f"{CATALOGUE}: {complete()} entries completed", file=sys.stderr)
