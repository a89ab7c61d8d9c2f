"""When a statement was made: explicit and relative day references resolved against publication.

Only references inside the attribution clause count ("said on Sunday", "on Jan. 15 dismissed",
"Macron's Jan. 6 statement"); a weekday elsewhere in the sentence usually dates an event, not the
statement, and vague references ("recently", "last year") leave the publication date.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH_DAY = re.compile(
    r"\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b(?:\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<rel>yesterday|today|tonight|this morning|this afternoon|this evening|last night)\b", re.IGNORECASE)


def resolve(window: str, published: dt.date) -> dt.date | None:
    """The day a window of text pins, or None. Never later than `published`."""
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(window)
        if m:
            month = MONTHS[m.group("month").lower().rstrip(".")]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else published.year
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            if date > published and not m.group("year"):
                date = date.replace(year=year - 1)
            return date if date <= published else None
    m = _RELATIVE.search(window)
    if m:
        rel = m.group("rel").lower()
        return published - dt.timedelta(days=1) if rel in ("yesterday", "last night") else published
    m = _WEEKDAY.search(window)
    if m:
        target = WEEKDAYS.index(m.group("wd").lower())
        back = (published.weekday() - target) % 7
        return published - dt.timedelta(days=back)
    return None


_PAST_BACKGROUND = re.compile(
    r"\b(?:last\s+(?:" + "|".join(m for m in MONTHS if len(m) > 3) + r"|year|month|decade)|in\s+(?:"
    + "|".join(m for m in MONTHS if len(m) > 3) + r")?\s*(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)


def is_dated_background(text: str, published: dt.date) -> bool:
    """True for narration pinned to an earlier period ('in September 2022', 'last June')."""
    for m in _PAST_BACKGROUND.finditer(text):
        year = m.group("year")
        if year is None or int(year) < published.year:
            return True
    return False
