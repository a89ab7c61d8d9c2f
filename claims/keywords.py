"""Content words of a claim: the code-made subject phrase and the terms retrieval searches with."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

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


# Offices say who speaks, not what about: "President" in two quotes is no shared topic.
TITLE_WORDS = frozenset(
    """president vice-president minister prime foreign secretary chancellor spokesman spokeswoman spokesperson
    envoy ambassador official officials government leader leaders""".split()
)


@lru_cache(maxsize=1)
def _concepts() -> dict[str, str]:
    data = json.loads(resources.files("claims").joinpath("data/concepts.json").read_text(encoding="utf-8"))
    return {word: concept for concept, words in data.items() if not concept.startswith("_") for word in words}


@lru_cache(maxsize=1)
def concepts_version() -> str:
    """A hash of the concept list: rows indexed under another version need their tokens again."""
    raw = resources.files("claims").joinpath("data/concepts.json").read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]


def concept_of(word: str) -> str | None:
    return _concepts().get(word)


def topic_terms(text: str, exclude: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """What a statement is about: stemmed content words, with synonyms folded into one concept
    ('#deal' for settlement/agreement/proposal) and office titles left out."""
    terms = set()
    for word in content_words(text, exclude):
        if word in TITLE_WORDS:
            continue
        concept = concept_of(word)
        terms.add(f"#{concept}" if concept else stem(word))
    return terms


def speaker_topic_terms(quote: str, speaker: str) -> set[str]:
    """What a claim is about: its topic terms without the speaker's own name ("Reyes said …" and
    "Reyes vowed …" share no topic because of the name). The checker compares these; the ledger
    stores them with each claim."""
    return topic_terms(quote, {w.lower() for w in speaker.split()})


def concept_tokens(text: str) -> str:
    """The concepts a text names as full-text tokens ('cdeal ctalks'), for the ledger's FTS index."""
    found = {concept_of(word) for word in content_words(text)} - {None}
    return " ".join(sorted(f"c{c}" for c in found))


def concept_terms(terms: set[str]) -> set[str]:
    return {t for t in terms if t.startswith("#")}
