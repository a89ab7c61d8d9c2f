"""Derived text columns a claim is stored with, so retrieval reads them instead of re-deriving."""

from __future__ import annotations

import re

from ..keywords import concept_tokens, speaker_topic_terms


def claim_terms(quote: str | None, speaker: str | None) -> str:
    return " ".join(sorted(speaker_topic_terms(quote or "", speaker or "")))


def claim_topics(quote: str | None, subject: str | None) -> str:
    return concept_tokens(f"{quote or ''} {subject or ''}")


def bucket_tokens(speaker_id: int, government: str | None) -> str:
    """FTS tokens for who is speaking: 'spk12 govuk'. Letters and digits only, so the tokenizer
    keeps each one whole."""
    tokens = [f"spk{speaker_id}"]
    if government:
        tokens.append("gov" + re.sub(r"[^0-9a-z]", "", government.lower()))
    return " ".join(tokens)
