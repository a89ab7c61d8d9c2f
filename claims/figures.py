"""Numbers a claim asserts: money with ISO currency, counts, percentages.

Code, not the model, reads numbers: "2 billion pounds ($2.5 billion)" is 2e9 GBP with a 2.5e9 USD
equivalent, never a second figure; years, dates, ordinals and name-like numbers ("30-day
ceasefire") are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}
CURRENCY_WORDS = {
    "pounds": "GBP", "pound": "GBP", "sterling": "GBP", "dollars": "USD", "dollar": "USD",
    "euros": "EUR", "euro": "EUR", "hryvnias": "UAH", "roubles": "RUB", "rubles": "RUB",
}
QUALIFIERS = r"(?:more than|over|nearly|almost|about|around|roughly|at least|up to|some|fewer than|less than)"
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "dozen": 12, "hundred": 100, "thousands": None, "hundreds": None,
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:trillion|billion|million|thousand|bn|tn|mn|m|k|b)\b"
_MONEY_SYMBOL = re.compile(
    rf"(?P<sym>[£$€])\s?(?P<num>{_NUM})\s*(?P<scale>{_SCALE})?", re.IGNORECASE
)
_MONEY_WORD = re.compile(
    rf"(?P<num>{_NUM}|\ba|\bone|\bhalf a)\s*(?P<scale>{_SCALE})?\s*(?P<cur>pounds?|sterling|dollars?|euros?|hryvnias|roubles|rubles)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUM})\s?(?:%|per ?cent|percent)")
_COUNT = re.compile(
    rf"(?:(?P<qual>{QUALIFIERS})\s+)?(?P<num>{_NUM})(?:\s*(?P<scale>{_SCALE}))?\s+(?P<what>[a-z][a-z\-]+(?:\s+[a-z][a-z\-]+){{0,3}})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH_WORDS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_STOP_WHAT = re.compile(r"\b(?:from|and|but|which|that|who|to|in|on|at|by|with|of|the|a|an|is|are|was|were|has|have)\b.*$")


@dataclass(frozen=True)
class Figure:
    amount: float
    currency: str | None
    what: str
    start: int
    end: int
    equivalent: tuple[float, str] | None = None  # e.g. the "$3.6 billion" printed after "£3 billion"

    def as_gold(self) -> dict:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "currency": self.currency, "what": self.what}


def _number(num: str, scale: str | None) -> float:
    words = {"a": 1.0, "one": 1.0, "half a": 0.5}  # "a trillion dollars", "half a billion pounds"
    value = words[num.lower()] if num.lower() in words else float(num.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return value


def _what_after(text: str, pos: int, limit: int = 6) -> str:
    tail = re.split(r"[.,;:()\"“”]", text[pos:], maxsplit=1)[0]
    words = tail.split()[:limit]
    return " ".join(words).strip()


def extract(text: str) -> list[Figure]:
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    money = []
    for m in _MONEY_SYMBOL.finditer(text):
        money.append((m.start(), m.end(), _number(m.group("num"), m.group("scale")), SYMBOLS[m.group("sym")]))
    for m in _MONEY_WORD.finditer(text):
        if not m.group("num")[0].isdigit() and not m.group("scale"):
            continue  # "a pound more" is no figure; "a trillion dollars" is
        money.append((m.start(), m.end(), _number(m.group("num"), m.group("scale")), CURRENCY_WORDS[m.group("cur").lower()]))
    money.sort()
    for start, end, amount, currency in money:
        if not free(start, end):
            continue
        prev = figures[-1] if figures else None
        between = text[prev.end:start] if prev else ""
        if prev and prev.currency and re.fullmatch(r"\s*\(\s*(?:about|around|approximately|roughly)?\s*", between):
            # A publisher's conversion in brackets right after an amount restates it.
            figures[-1] = Figure(prev.amount, prev.currency, prev.what, prev.start, end, (amount, currency))
            close = text.find(")", end)
            what = _what_after(text, close + 1 if close >= 0 else end)
            if what and not prev.what:
                figures[-1] = Figure(prev.amount, prev.currency, what, prev.start, end, (amount, currency))
            taken.append((start, end))
            continue
        figures.append(Figure(amount, currency, _what_after(text, end), start, end))
        taken.append((start, end))

    for m in _PERCENT.finditer(text):
        if free(m.start(), m.end()):
            figures.append(Figure(float(m.group("num")), None, "percent " + _what_after(text, m.end(), 4), m.start(), m.end()))
            taken.append((m.start(), m.end()))

    for m in _COUNT.finditer(text):
        s, e = m.start("num"), m.end()
        if not free(s, e):
            continue
        num = m.group("num")
        before = text[max(0, s - 12):s]
        after = text[m.end("num"):m.end("num") + 1]
        if _YEAR.match(num) and not m.group("scale"):
            continue
        if after in ("-", "–") or re.search(r"[A-Za-z]\.?\s*$", before) and before.strip().lower().rstrip(".").split()[-1:] and before.strip().lower().rstrip(".").split()[-1] in _MONTH_WORDS:
            continue
        what = _STOP_WHAT.sub("", m.group("what")).strip()
        if not what or what.split()[0].lower() in ("years", "year", "days", "weeks", "months", "hours", "percent", "per"):
            continue
        if m.group("qual"):
            what = f"{what} ({m.group('qual').lower()} {num})"
        figures.append(Figure(_number(num, m.group("scale")), None, what, m.start(), e))
        taken.append((s, e))
    figures.sort(key=lambda f: f.start)
    return figures
