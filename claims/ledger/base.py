"""The connection, its migrations and transactions: what every part of the ledger stands on."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import ClaimsError
from ..keywords import concepts_version
from .schema import MIGRATIONS
from .tokens import claim_terms, claim_topics


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def placeholders(values: list) -> str:
    return ",".join("?" * len(values))


class LedgerBase:
    def __init__(self, path: Path | str):
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        else:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            raise ClaimsError(f"{path} is not a claims ledger (SQLite says: {exc})") from None
        self.db = sqlite_utils.Database(conn)
        self.migrate()
        self.refresh_topics()

    def migrate(self) -> None:
        """Apply missing migrations in one transaction that holds the write lock from its start:
        two processes opening a new ledger at once wait for each other instead of one failing."""
        done = set()
        if "migrations" in self.db.table_names():
            done = {row["name"] for row in self.db["migrations"].rows}
        if all(fn.__name__ in done for fn in MIGRATIONS):
            return
        with self.transaction():
            self.db["migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
            done = {row["name"] for row in self.db["migrations"].rows}  # another process may have run them
            for fn in MIGRATIONS:
                if fn.__name__ not in done:
                    fn(self.db)
                    self.db["migrations"].insert({"name": fn.__name__, "applied_at": now()})

    def refresh_topics(self) -> int:
        """Re-derive every claim's concept tokens when claims/data/concepts.json has changed since
        they were made, so retrieval never mixes two concept lists. Returns the rows updated."""
        version = concepts_version()
        row = self.db.execute("select value from ledger_meta where key = 'concepts_version'").fetchone()
        if row and row[0] == version:
            return 0
        with self.transaction():
            rows = self.db.execute("select id, quote, subject, topics, speaker, terms from claims").fetchall()
            changed = 0
            for cid, quote, subject, topics, speaker, terms in rows:
                fresh, fresh_terms = claim_topics(quote, subject), claim_terms(quote, speaker)
                if (fresh, fresh_terms) != (topics, terms):
                    self.db.execute("update claims set topics = ?, terms = ? where id = ?", [fresh, fresh_terms, cid])
                    changed += 1
            self.db["ledger_meta"].upsert({"key": "concepts_version", "value": version}, pk="key")
        return changed

    @contextlib.contextmanager
    def transaction(self):
        """One atomic unit; nested uses become savepoints, and any exception rolls back.

        The outer one takes the write lock up front (BEGIN IMMEDIATE): a second process writing
        the same ledger then waits on the busy timeout, where a deferred transaction that reads
        first and writes later fails at once with "database is locked"."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def stats(self) -> dict:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("select count(*) from articles"),
            "claims": q("select count(*) from claims"),
            "speakers": q("select count(*) from speakers"),
            "findings": q("select count(*) from findings"),
            "open_changes": q("select count(*) from findings where relation != 'consistent' and status = 'open'"),
        }


class Where:
    """Conditions joined by `and` with their parameters in order: the one way filters are built."""

    def __init__(self):
        self.parts: list[str] = []
        self.params: list = []

    def add(self, condition: str, *params) -> "Where":
        self.parts.append(condition)
        self.params.extend(params)
        return self

    def when(self, value, condition: str, *params) -> "Where":
        """Add the condition only when a filter value was given (None/'' means no filter)."""
        return self.add(condition, *params) if value not in (None, "") else self

    def sql(self, default: str = "1") -> str:
        return " and ".join(self.parts) or default
