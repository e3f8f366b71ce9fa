"""Keys that let a database sort and search Vietnamese text by plain bytes: a sort key whose byte
order is the Vietnamese alphabetical order, and a search key without diacritics.

Pure functions, at the bottom layer, so people (records), units and requests (workflows) build
their keys the same way and one search can later span them all. No database collation is
needed: the keys are compared bytewise (tracking.fields.SortKeyField stores them so).
"""

import re
import unicodedata

from django.db.models import Q

# The letters with a mark that the alphabet orders after their base letter (a < ă < â, d < đ,
# e < ê, o < ô < ơ, u < ư): the base letter, then a character above "z", so that a word sorts
# after every word spelled with the bare letter in that place and before the next letter.
LETTER_MARKS = {
    ("a", "\u0306"): "{",  # ă (breve)
    ("a", "\u0302"): "|",  # â (circumflex)
    ("e", "\u0302"): "{",  # ê
    ("o", "\u0302"): "{",  # ô
    ("o", "\u031b"): "|",  # ơ (horn)
    ("u", "\u031b"): "{",  # ư
}
D_STROKE = "đ"  # no decomposition in Unicode: a letter of its own, after d
# Tones, the secondary level, in the order of the alphabet books: ngang (none), huyền, hỏi, ngã,
# sắc, nặng.
TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
NO_TONE = "0"

# Below every letter and digit code, and the level separator below the word separator, so a
# shorter name sorts before a longer one that starts with it ("An" < "Anh", "Lê An" < "Lê An Bình").
LEVEL_SEPARATOR = "!"
WORD_SEPARATOR = "#"

WORD = re.compile(r"\S+")


def _letters(word: str) -> list[tuple[str, str]]:
    """(letter code, tone) of each letter or digit of a lower-cased word; other marks are dropped."""
    letters: list[tuple[str, str]] = []
    tone = NO_TONE
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONES:
            tone = TONES[char]
        elif unicodedata.combining(char):
            if letters and (letters[-1][0], char) in LETTER_MARKS:
                base = letters[-1][0]
                letters[-1] = (base + LETTER_MARKS[(base, char)], "")
        elif char == D_STROKE:
            letters.append(("d{", ""))
        elif char.isalnum():
            letters.append((char, ""))
    return letters + [("", tone)]


def sort_key(text: str) -> str:
    """A key whose byte order is the Vietnamese order of `text`, word by word as written:
    letters first (a < ă < â, d < đ …), then the tones of each word (ngang < huyền < hỏi < ngã
    < sắc < nặng), then the text itself, so case and punctuation break the last ties."""
    words = [_letters(word) for word in WORD.findall(text)]
    primary = WORD_SEPARATOR.join("".join(code for code, _tone in word) for word in words)
    tones = "".join(tone for word in words for code, tone in word if tone)
    return LEVEL_SEPARATOR.join((primary, tones, unicodedata.normalize("NFC", " ".join(WORD.findall(text)))))


def name_order(full_name: str) -> str:
    """A name written family first ("Nguyễn Thị Hồng Nhung") in the order it is sorted by: the
    given name, then the middle names, then the family name ("Nhung Thị Hồng Nguyễn")."""
    words = WORD.findall(full_name)
    if len(words) < 2:
        return " ".join(words)
    return " ".join([words[-1], *words[1:-1], words[0]])


def person_sort_key(full_name: str) -> str:
    """The sort key of a person's name: Vietnamese order by given name, middle, family name."""
    return sort_key(name_order(full_name))


def search_key(text: str) -> str:
    """`text` lower-cased without diacritics (đ → d), words separated by one space: what a
    search compares, so "nguyen van", "Nguyễn Văn" and "NGUYEN VAN" find "Nguyễn Văn An"."""
    plain = "".join(
        char
        for char in unicodedata.normalize("NFD", text.lower().replace(D_STROKE, "d"))
        if not unicodedata.combining(char)
    )
    return " ".join(WORD.findall(plain))


def search_words(query: str) -> list[str]:
    """The words of a typed query, as search keys; each must begin a word of what is found."""
    return search_key(query).split()


def word_start_q(field: str, word: str):
    """Rows whose search key `field` has a word beginning with `word` (a search key's word).

    One regular expression, `(^| )word`, rather than `LIKE 'word%' OR LIKE '% word%'`: on
    PostgreSQL the words' conditions then go to the trigram index (gin_trgm_ops) as one bitmap
    scan, where the OR of two LIKEs per word made the planner read the whole table (the
    employee list's `q=nguyen van`, 40,000 people of qlcb_bench_scale: 105–156 ms as a
    sequential scan, 45–60 ms by the index). Short words the index cannot narrow ("ha") are
    still read in full, as before."""
    return Q(**{f"{field}__regex": r"(^| )" + re.escape(word)})
