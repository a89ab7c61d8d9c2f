"""Paragraphs, quotation regions and sentences of an article body, all as character offsets.

Offsets into the untouched body are the point: a claim's quote is cut from the body by offsets,
so it is verbatim by construction, and nothing here normalises the text.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "sir", "gen", "col", "lt", "sgt", "rep", "sen", "gov", "prof",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.n", "e.g", "i.e",
}


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    quotes: list[tuple[int, int]] = field(default_factory=list)  # inner spans, body offsets
    sentences: list[Sentence] = field(default_factory=list)

    def in_quote(self, pos: int) -> bool:
        return in_spans(self.quotes, pos)

    @property
    def is_heading(self) -> bool:
        # Headlines, subheadings and section titles end without sentence punctuation and are short
        # or title-cased; a long unpunctuated line of prose is still a sentence.
        if re.search(r"[.!?:;\"”’)]\s*$", self.text) or self.is_bullet:
            return False
        words = self.text.split()
        capitalised = sum(1 for w in words if w[:1].isupper())
        return len(words) <= 12 or capitalised >= 0.6 * len(words)

    @property
    def is_caption(self) -> bool:
        # Photo captions end with a credit such as "(Carlos Jasso/PA)".
        return bool(re.search(r"\([^()]*/[^()]*\)\s*$", self.text))

    @property
    def is_bullet(self) -> bool:
        return self.text[:1] in "•·*–-▪●"

    @property
    def is_pure_quote(self) -> bool:
        return bool(self.quotes) and self.text.lstrip()[:1] in ('"', "“")


def in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether `pos` falls inside one of `spans` (sorted, not overlapping, as quote_regions makes
    them): a binary search, since hostile input can hold thousands of quotations."""
    i = bisect.bisect_right(spans, (pos, math.inf)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def quote_regions(text: str, offset: int) -> list[tuple[int, int]]:
    """Spans inside “…” or "…"; an opening mark never closed runs to the paragraph's end."""
    regions: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "“" or (ch == '"' and _opens_straight(text, i)):
            closer = "”" if ch == "“" else '"'
            j = text.find(closer, i + 1)
            if ch == "“" and j < 0:
                j = text.find('"', i + 1)
            end = j if j >= 0 else n
            regions.append((offset + i + 1, offset + end))
            i = end + 1
            continue
        i += 1
    return regions


def _opens_straight(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


_SENT_END = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str, offset: int) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        before = text[start:m.start()]
        last_word = re.split(r"[\s(\"“]", before)[-1].lower().rstrip(".")
        if last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        # Keep a closing quote mark with the sentence it closes.
        end = m.end()
        chunk = text[start:end].rstrip()
        if chunk:
            sentences.append(Sentence(offset + start, offset + start + len(chunk), chunk))
        start = end
    chunk = text[start:].rstrip()
    if chunk:
        sentences.append(Sentence(offset + start, offset + start + len(chunk), chunk))
    return sentences


_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’)]\s*$")


def _continues(line: str, following: str, wrapped: bool) -> bool:
    """A hard-wrapped line (fixed-width copy from wire services): the sentence runs on into the
    next line, which starts in lower case or with a number; in copy that is wrapped throughout,
    also a long line that stops mid-clause."""
    if not following.strip() or _ENDS_SENTENCE.search(line):
        return False
    nxt = following.lstrip()[:1]
    return nxt.islower() or nxt.isdigit() or nxt in "$£€(" or (wrapped and len(line.strip()) >= 55)


def paragraphs(body: str) -> list[Paragraph]:
    result = []
    lines = body.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    runs_on = sum(1 for a, b in zip(lines, lines[1:]) if _continues(a, b, False) and b.lstrip()[:1].islower())
    wrapped = runs_on >= 3
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _continues(lines[j], lines[j + 1], wrapped):
            j += 1
        lead = len(lines[i]) - len(lines[i].lstrip())
        start = starts[i] + lead
        end = starts[j] + len(lines[j].rstrip())
        text = body[start:end]
        para = Paragraph(start, end, text)
        para.quotes = quote_regions(text, start)
        para.sentences = split_sentences(text, start)
        result.append(para)
        i = j + 1
    return result
