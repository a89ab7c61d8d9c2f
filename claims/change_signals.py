"""Signals that a later claim changes an earlier one of the same speaker or group, each in code.

Every signal is general, none is a phrase from one story: how much the two statements share
(topic words), how alike their articles' headlines are, whether their figures of one kind
differ, whether one negates what the other asserts, whether commitment moves (will -> may, pledge -> "no longer"), whether the later one
adds a condition or a deadline, or reverses a course (scrapped, paused, delayed, U-turn), how far
apart in time they are. `scripts/fit_change_model` measures each signal's ROC AUC on a gold
corpus and fits the logistic combination in `data/change_model.json`; `combine` applies it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import lru_cache
from importlib import resources

from . import actors
from . import figures as figures_mod
from .keywords import content_words, speaker_topic_terms, topic_terms

FIGURE_TOLERANCE = 0.05
NEGATION = re.compile(r"\b(?:not|no|never|nor|none|neither|cannot|no longer|without)\b|n['’]t\b", re.I)
STRONG = re.compile(
    r"\b(?:will|shall|must|pledge[sd]?|promise[sd]?|commit(?:ted|s)?|vow(?:ed|s)?|guarantee[sd]?|never|always|"
    r"definitely|certainly|absolutely|determined|insist(?:ed|s)?|resolutely|firmly)\b", re.I)
WEAK = re.compile(
    r"\b(?:may|might|could|would consider|consider(?:ing)?|look(?:ing)? at|possible|possibly|open to|hope[sd]?|"
    r"aim(?:s|ed)?|try|tries|tried|expect(?:s|ed)?|likely|perhaps|probably|review(?:ing)?|cautious|"
    r"as soon as|eventually|over time)\b", re.I)
CONDITION = re.compile(r"\b(?:if|unless|only if|provided|as long as|on condition|until|depend(?:s|ing)? on)\b", re.I)
DEADLINE = re.compile(
    r"\b(?:deadline|ultimatum|last chance|or else|within \d+ (?:days|weeks|hours)|by (?:the end of|tomorrow|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d))\b", re.I)
REVERSAL = re.compile(
    r"\b(?:scrap\w*|abandon\w*|paus\w*|delay\w*|postpon\w*|revers\w*|u-turn\w*|backtrack\w*|ditch\w*|"
    r"drop(?:s|ped|ping)?|suspend\w*|withdr[ae]w\w*|rethink\w*|water(?:s|ed|ing)? down|scal(?:e|es|ed|ing) back|"
    r"rul(?:e|es|ed|ing) out|exempt\w*|lift(?:s|ed|ing)?|halt\w*|revis\w*|no longer|instead|now)\b", re.I)
MODEL_FILE = "data/change_model.json"


@lru_cache(maxsize=8192)
def _terms(quote: str, speaker: str) -> frozenset[str]:
    return frozenset(speaker_topic_terms(quote, speaker))


@lru_cache(maxsize=8192)
def _stems(quote: str) -> frozenset[str]:
    return frozenset(content_words(quote, stemmed=True))


def terms(claim: dict) -> frozenset[str]:
    """The claim's topic terms: as the ledger stored them (`terms` column), else computed."""
    stored = claim.get("terms")
    return _split(stored) if stored is not None else _terms(claim["quote"], claim["speaker"])


@lru_cache(maxsize=65536)
def _split(stored: str) -> frozenset[str]:
    return frozenset(stored.split())


def overlap(a: dict, b: dict) -> float:
    """Shared topic terms, as a cosine of the two term sets: 'same topic', not 'changed'."""
    wa, wb = terms(a), terms(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / math.sqrt(len(wa) * len(wb))


def _kind_of(fig) -> str | None:
    if fig.currency:
        return fig.currency
    return "%" if fig.what.startswith("percent") else None


# Words around a number that say nothing about what it measures.
_CONTEXT_STOP = {"percent", "per", "cent", "billion", "million", "trillion", "bn", "around", "about", "more",
                 "less", "than", "least", "nearly", "almost", "some", "just", "only", "current", "previous",
                 "previously", "new", "total", "level", "levels", "rate", "rates"}


def article_overlap(a: dict, b: dict) -> float:
    """How alike the two claims' articles are by their headlines: a storyline keeps its words
    ("port levy", "ferry subsidy") from one article to the next even when the claims do not."""
    ta, tb = _title_terms(a.get("article_title") or ""), _title_terms(b.get("article_title") or "")
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / math.sqrt(len(ta) * len(tb))


@lru_cache(maxsize=8192)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(topic_terms(title))


@lru_cache(maxsize=8192)
def _figures_with_context(quote: str) -> tuple[tuple[str, float, tuple | None, set[str], set[str]], ...]:
    """(kind, amount, printed equivalent, context terms) for each money or percent figure: the
    content words within a few words either side say what it measures."""
    found = []
    for fig in figures_mod.extract(quote):
        kind = _kind_of(fig)
        if kind is None:
            continue
        before = quote[max(0, fig.start - 60):fig.start].split()[-6:]
        after = quote[fig.end:fig.end + 60].split()[:6]
        window = " ".join(before + after)
        context = topic_terms(window) - _CONTEXT_STOP
        places = {c for c in (actors.country_of_word(w.strip(",.;:()")) for w in window.split()) if c}
        found.append((kind, fig.amount, fig.equivalent, context, places))
    return tuple(found)


def figure_pairs(a: dict, b: dict) -> list[tuple[str, float, float]]:
    """(unit, amount in a, amount in b) for every two figures of the same quantity.

    Same quantity: money in one currency (a printed conversion counts) or two percentages, with
    a word in common around the number ("tariff … 25%" and "35% tariff") and not two different
    countries. Counts of things too rarely measure the same thing to compare.
    """
    found = []
    for ka, va, eqa, ca, pa in _figures_with_context(a["quote"]):
        for kb, vb, eqb, cb, pb in _figures_with_context(b["quote"]):
            if not (ca & cb) or (pa and pb and not (pa & pb)):
                continue
            if ka == kb:
                found.append((ka, va, vb))
            elif eqa and eqa[1] == kb:
                found.append((kb, eqa[0], vb))
            elif eqb and eqb[1] == ka:
                found.append((ka, va, eqb[0]))
    return found


def _agree(x: float, y: float) -> bool:
    return abs(x - y) <= FIGURE_TOLERANCE * max(abs(x), abs(y), 1e-9)


def figures_compared(a: dict, b: dict) -> tuple[bool, bool]:
    """(a figure of the same quantity agrees, figures of the same quantity exist and none agrees)."""
    pairs = figure_pairs(a, b)
    same = any(_agree(x, y) for _unit, x, y in pairs)
    return same, bool(pairs) and not same


def _count(pattern: re.Pattern, text: str) -> int:
    return len(pattern.findall(text))


def places(claim: dict) -> set[str]:
    """The countries a statement is about, other than the speaker's own."""
    return _places(claim["quote"], claim["speaker"], claim.get("speaker_role"))


@lru_cache(maxsize=8192)
def _places(quote: str, speaker: str, role: str | None) -> frozenset[str]:
    words = re.findall(r"[A-Z][\w.’']*(?:\s+(?:Kingdom|States|Korea|Arabia))?", quote)
    found = {c for c in (actors.country_of_word(w) for w in words) if c}
    if found:  # the speaker's own country is no "other" place; worked out only when needed
        found.discard(actors.government_of(speaker, role))
    return frozenset(found)


def signals(a: dict, b: dict) -> dict[str, float]:
    """The signals for earlier claim `a` and later claim `b` (dicts with speaker, quote, date,
    kind), each a number; names match the weights in data/change_model.json."""
    qa, qb = a["quote"], b["quote"]
    pa, pb = places(a), places(b)
    apart = bool(pa and pb and not (pa & pb))
    same_fig, diff_fig = figures_compared(a, b) if not apart else (False, False)
    gap = abs((dt.date.fromisoformat(b["date"]) - dt.date.fromisoformat(a["date"])).days)
    commit_a = _count(STRONG, qa) - _count(WEAK, qa)
    commit_b = _count(STRONG, qb) - _count(WEAK, qb)
    return {
        "overlap": overlap(a, b),
        "article_overlap": article_overlap(a, b),
        "same_speaker": float(a["speaker"] == b["speaker"]),
        "figure_differs": float(diff_fig),
        "figure_same": float(same_fig),
        "negation_flip": float(bool(NEGATION.search(qa)) != bool(NEGATION.search(qb))),
        "commitment_moves": float(min(abs(commit_b - commit_a), 3)) / 3,
        "condition_added": float(bool(CONDITION.search(qb)) and not CONDITION.search(qa)),
        "deadline_added": float(bool(DEADLINE.search(qb)) and not DEADLINE.search(qa)),
        "reversal_later": float(bool(REVERSAL.search(qb))),
        "kind_differs": float(a.get("kind") != b.get("kind")),
        "months_apart": min(gap / 30.0, 24.0) / 24.0,
        "places_differ": float(apart),
        "shared_words": min(len(_stems(qa) & _stems(qb)), 6) / 6,
    }


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(resources.files("claims").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def combine(values: dict[str, float], weights: dict | None = None) -> float:
    """P(change) from the signals: the fitted logistic combination."""
    weights = weights or model()
    z = weights["bias"] + sum(w * values.get(name, 0.0) for name, w in weights["weights"].items())
    return 1.0 / (1.0 + math.exp(-z))
