"""Read the numbers a verbatim quote contains.

A figure in ``data/`` must be found in its quote: as digits (``1,425``, ``1 425``,
``1.500``, ``78,8``) or, through the ``quote_figure`` column, as words (``six``,
``two dozen``, ``five thousand``, ``über hundert``).
"""

from __future__ import annotations

import re

_SEP = "[ ,.\u00a0\u202f]"
_GROUPED = re.compile(rf"(?<![\d])\d{{1,3}}(?:{_SEP}\d{{3}})+(?![\d])")
_DECIMAL = re.compile(r"(?<![\d])\d+[.,]\d+(?![\d])")
_PLAIN = re.compile(r"\d+")

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_MULTIPLIERS = {
    "dozen": 12,
    "hundred": 100,
    "hundert": 100,
    "thousand": 1000,
    "тыс.": 1000,
    "тыс": 1000,
    "тысяч": 1000,
}
_FILLERS = {"über", "over", "about", "around", "some", "a", "and", "свыше", "более"}


def numbers_in(text: str) -> set[float]:
    """Return every number written with digits in ``text``.

    Digit groups separated by a comma, a dot or a (thin, no-break) space are read both
    as one grouped number and as separate numbers, and ``78,8`` also as a decimal, so
    that no reading is missed.

    Parameters
    ----------
    text
        A quote.

    Returns
    -------
    set of float
        The numbers found.
    """
    found: set[float] = {float(m) for m in _PLAIN.findall(text)}
    for m in _GROUPED.findall(text):
        found.add(float(re.sub(_SEP, "", m)))
    for m in _DECIMAL.findall(text):
        found.add(float(m.replace(",", ".")))
    return found


def parse_figure(text: str) -> float | None:
    """Read a figure written in digits or number words.

    English number words, German ``hundert`` and Russian ``тыс.`` are understood.

    Parameters
    ----------
    text
        E.g. ``"1,425"``, ``"78,8"``, ``"six"``, ``"two dozen"``, ``"über hundert"``,
        ``"свыше 4 тыс."``.

    Returns
    -------
    float or None
        The number, or None when the text is not a figure this function can read.
    """
    s = text.strip()
    if re.fullmatch(rf"\d{{1,3}}(?:{_SEP}\d{{3}})+", s):
        return float(re.sub(_SEP, "", s))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    total, current, seen = 0, 0, False
    for word in s.lower().replace("-", " ").split():
        if word.isdigit():
            current += int(word)
            seen = True
        elif word in _WORDS:
            current += _WORDS[word]
            seen = True
        elif word in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[word]
            if _MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0
            seen = True
        elif word not in _FILLERS:
            return None
    return float(total + current) if seen else None
