"""The SQLite ledger (sqlite-utils): the only module that speaks SQL.

`Ledger` is one object made of parts a reader can hold in mind: the connection, migrations and
transactions (`base`), the schema (`schema`), articles as written (`articles`), claims as read
(`claims`), full-text search (`search`) and findings with their review and deliveries (`findings`).
"""

from __future__ import annotations

from .articles import ArticleStore
from .base import LedgerBase, now
from .claims import ClaimStore
from .findings import REVIEW_STATUSES, FindingStore
from .schema import MIGRATIONS
from .search import SearchStore, fts_terms
from .tokens import bucket_tokens


class Ledger(LedgerBase, ArticleStore, ClaimStore, SearchStore, FindingStore):
    """A ledger file (or ":memory:"), migrated to the current schema when opened."""


__all__ = ["Ledger", "MIGRATIONS", "REVIEW_STATUSES", "bucket_tokens", "fts_terms", "now"]
