"""The translation catalogues are complete and compiled: no entry untranslated or fuzzy in any
language (the Vietnamese one translates each Vietnamese msgid as itself; `make messages` does
that), and every .mo holds exactly what its .po says (compilemessages was run)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("**/LC_MESSAGES/django.po"))


def label(path):
    return str(path.relative_to(settings.BASE_DIR))


def test_there_are_catalogues_for_both_languages():
    assert {p.parent.parent.name for p in CATALOGUES} >= {"vi", "en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=label)
def test_no_entry_is_untranslated_or_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


def _entries(catalogue):
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if e.msgid and not e.obsolete and "fuzzy" not in e.flags
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=label)
def test_the_compiled_catalogue_is_up_to_date(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{label(compiled)} missing: run make messages"
    assert _entries(polib.mofile(str(compiled))) == _entries(polib.pofile(str(path)))


def test_the_vietnamese_catalogue_translates_each_msgid_as_itself():
    catalogue = polib.pofile(str(Path(settings.BASE_DIR, "locale", "vi", "LC_MESSAGES", "django.po")))
    different = [
        e.msgid
        for e in catalogue
        if (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr) != (e.msgid_plural or e.msgid)
    ]
    assert not different, different[:3]
