"""Content words of a claim: the code-made subject phrase and the terms retrieval searches with."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being has have had it its
    this that these those we our us they them their he him she his her i me my you your not no do does did will
    would can could should must may might shall about into than then there here what which who whom also very
    more most all any some such so if because while until after before over under again further once only own
    same too just now even still yet both each few other being up down out off said says say told added
    think need see seen know going get got make made want wants wanted time way one two many much well back
    course full part like year years week weeks today yesterday tuesday monday wednesday thursday friday
    saturday sunday mr mrs ms sir""".split()
)


SUFFIXES = ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough for 'negotiations'/'negotiating' to meet, no more."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str, exclude: set[str] | frozenset[str] = frozenset(), stemmed: bool = False) -> list[str]:
    words = re.findall(r"[a-z][a-z'’\-]+", text.lower().replace("’", "'"))
    out = []
    for word in words:
        word = word.strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 3 or word in STOPWORDS or word in exclude:
            continue
        out.append(stem(word) if stemmed else word)
    return out


def subject_phrase(quote: str, speaker: str, limit: int = 4) -> str:
    """A short topic phrase made of the quote's first distinct content words (speaker excluded)."""
    exclude = {w.lower() for w in re.findall(r"[A-Za-z]+", speaker)}
    seen: list[str] = []
    for word in content_words(quote, exclude):
        if word not in seen:
            seen.append(word)
        if len(seen) == limit:
            break
    return " ".join(seen) or "general"
