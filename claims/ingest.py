"""Backfill: articles -> extraction -> ledger, one transaction per article, then the checker.

The CLI and the Slack bot both call these functions; neither holds pipeline logic of its own.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .articles import Article
from .extract import Extractor
from .ledger import Ledger

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    articles_seen: int = 0
    articles_stored: int = 0
    articles_skipped: int = 0  # already in the ledger (the same text)
    claims_stored: int = 0
    rejections: int = 0  # statements or claims rejected with a logged reason (the `rejections` table)
    seconds: float = 0.0
    stored_ids: list[str] = field(default_factory=list)


def ingest_article(ledger: Ledger, extractor: Extractor, article: Article, dry_run: bool = False,
                   pool: Executor | None = None) -> tuple[str | None, list[dict], int]:
    """Extract and store one article; (article id or None when already stored, claims, rejections).

    With a `pool`, the model requests of one article are in flight together; articles are still
    attributed and stored one after another (each one's people are known to the next), so the
    ledger is the one a sequential run writes, and this thread is its only writer."""
    if ledger.has_article(article):
        return None, [], 0
    result = extractor.extract(article, ledger.known_people(), pool)
    if dry_run:
        return article.id, result.claims, len(result.rejections)
    article_id = ledger.store_article(
        article, result.claims, result.rejections, extractor.backend.name, extractor.prompt_version
    )
    return article_id, result.claims, len(result.rejections)


def backfill(
    ledger: Ledger,
    extractor: Extractor,
    articles: Iterable[Article],
    dry_run: bool = False,
    pool: Executor | None = None,
    on_article: Callable[[Article, str | None, list[dict]], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()
    for article in articles:
        report.articles_seen += 1
        article_id, claims, rejected = ingest_article(ledger, extractor, article, dry_run, pool)
        if article_id is None:
            report.articles_skipped += 1
        else:
            report.articles_stored += 1
            report.claims_stored += len(claims)
            report.rejections += rejected
            report.stored_ids.append(article_id)
        if on_article:
            on_article(article, article_id, claims)
    report.seconds = time.perf_counter() - started
    return report
