"""Which part of a sentence is the claim: the direct quotation when it carries the statement,
else the sentence without lead words and without a clause that reports someone else speaking."""

from __future__ import annotations

import re

from .segments import Paragraph, Sentence

LEAD_WORDS = re.compile(r"(?:But|And|However|Meanwhile|Despite that|Additionally|Yet|Still|Also|So),?\s+")


def masked(sent: Sentence, para: Paragraph) -> str:
    """The sentence with quoted passages blanked: a date inside a quotation is no background."""
    return "".join(" " if para.in_quote(sent.start + i) else ch for i, ch in enumerate(sent.text))


def quote_overlaps(para: Paragraph, sent: Sentence) -> bool:
    return any(qs < sent.end and sent.start < qe for qs, qe in para.quotes)


def inside_quote(para: Paragraph, sent: Sentence) -> bool:
    return any(qs <= sent.start + 1 and sent.start < qe for qs, qe in para.quotes) or any(
        qs < sent.end and sent.start < qe and (min(qe, sent.end) - max(qs, sent.start)) > 0.6 * (sent.end - sent.start)
        for qs, qe in para.quotes
    )


# A clause that reports someone else speaking, trailing (", as the US said …", "while Moscow
# warned …") or leading ("As the US threatened to walk away, Lammy said …").
_WHO_SAID = (
    r"(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}\s+"
    r"(?:said|says|warned|announced|threatened|insisted|claimed|added)\b"
)
OTHER_SPEAKER_CLAUSE = re.compile(r",?\s+(?:as|while|whereas|after|even as)\s+" + _WHO_SAID)
OTHER_SPEAKER_LEAD = re.compile(r"(?:As|While|Whereas|After|Even as)\s+" + _WHO_SAID + r"[^,;]*,\s+")


def quote_span(body: str, para: Paragraph, sent: Sentence, attribution: int | None = None) -> tuple[int, int, bool]:
    """The direct quotation inside a sentence when it carries the statement, else the sentence.

    A clause that reports another speaker is cut off, unless the attribution itself stands in it
    ("The levy will rise, as Reyes set out her plans to …" is Reyes's statement)."""
    best = None
    for qs, qe in para.quotes:
        s, e = max(qs, sent.start), min(qe, sent.end)
        if e - s <= 0:
            continue
        if best is None or e - s > best[1] - best[0]:
            best = (s, e)
    if best and (best[1] - best[0]) >= 0.45 * (sent.end - sent.start):
        s, e = best
        # Trim the comma or full stop that belongs to the reporting frame, and outer spaces.
        while e > s and body[e - 1] in " ,":
            e -= 1
        while s < e and body[s] in " ":
            s += 1
        return s, e, True
    s, e = sent.start, sent.end
    lead = LEAD_WORDS.match(body, s, e)
    if lead:
        s = lead.end()
    lead_clause = OTHER_SPEAKER_LEAD.match(body, s, e)
    if lead_clause and (attribution is None or attribution >= lead_clause.end()):
        s = lead_clause.end()
    other = OTHER_SPEAKER_CLAUSE.search(body, s, e)
    if other and (attribution is None or attribution < other.start()):
        # "X warned … as the US said it could walk away": the US's words are not X's claim.
        e = other.start()
    while e > s and body[e - 1] in " .":
        e -= 1
    return s, e, False
