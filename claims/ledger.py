"""The SQLite ledger (sqlite-utils): schema migrations, storage of articles and claims, lookups.

Table and column names are plain English so `datasette ledger.db` is a usable browser. Each article
is written in one transaction: a crash mid-backfill leaves no half-ingested article, and a re-run
skips what is already there (content-hash dedup), so a killed backfill resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Iterable

import sqlite_utils

from . import actors
from .articles import Article, content_hash
from .errors import ClaimsError
from .keywords import concept_tokens, concepts_version, speaker_topic_terms

MIGRATIONS = []


def migration(fn):
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_core(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": str, "content_hash": str, "published": str, "title": str, "source": str, "url": str,
            "path": str, "body": str, "ingested_at": str, "model": str, "prompt_version": str,
        },
        pk="id", if_not_exists=True,
    )
    db["articles"].create_index(["content_hash"], unique=True, if_not_exists=True)
    db["speakers"].create(
        {"id": int, "name": str, "kind": str, "government": str, "role": str},
        pk="id", if_not_exists=True, not_null={"name", "kind"},
    )
    db["speakers"].create_index(["name"], unique=True, if_not_exists=True)
    db["aliases"].create(
        {"alias": str, "speaker_id": int, "article_id": str},
        pk=("alias", "speaker_id", "article_id"), if_not_exists=True,
        foreign_keys=[("speaker_id", "speakers", "id"), ("article_id", "articles", "id")],
    )
    db["claims"].create(
        {
            "id": int, "article_id": str, "speaker_id": int, "speaker": str, "speaker_role": str,
            "government": str, "date": str, "kind": str, "subject": str, "text": str, "quote": str,
            "quote_start": int, "quote_end": int, "kind_confidence": float, "model": str,
            "prompt_version": str, "created_at": str, "checked_at": str,
        },
        pk="id", if_not_exists=True,
        foreign_keys=[("article_id", "articles", "id"), ("speaker_id", "speakers", "id")],
        not_null={"article_id", "speaker_id", "speaker", "date", "kind", "subject", "text", "quote"},
    )
    for cols in (["speaker_id", "date"], ["government", "date"], ["subject"], ["date"], ["article_id"], ["checked_at"]):
        db["claims"].create_index(cols, if_not_exists=True)
    db["figures"].create(
        {"id": int, "claim_id": int, "amount": float, "currency": str, "what": str,
         "equivalent_amount": float, "equivalent_currency": str},
        pk="id", if_not_exists=True, foreign_keys=[("claim_id", "claims", "id")],
    )
    db["figures"].create_index(["claim_id"], if_not_exists=True)
    db["rejections"].create(
        {"id": int, "article_id": str, "stage": str, "reason": str, "payload": str, "created_at": str},
        pk="id", if_not_exists=True,
    )
    if "claims_fts" not in db.table_names():
        db["claims"].enable_fts(["text", "subject", "quote", "speaker"], create_triggers=True, tokenize="porter")


@migration
def m002_findings(db: sqlite_utils.Database) -> None:
    db["findings"].create(
        {
            "id": int, "claim_a": int, "claim_b": int, "relation": str, "explanation": str,
            "confidence": float, "method": str, "model": str, "prompt_version": str, "created_at": str,
            "status": str, "reviewed_by": str, "reviewed_at": str,
        },
        pk="id", if_not_exists=True,
        foreign_keys=[("claim_a", "claims", "id"), ("claim_b", "claims", "id")],
        defaults={"status": "open"},
    )
    db["findings"].create_index(["claim_a", "claim_b"], unique=True, if_not_exists=True)
    db["findings"].create_index(["relation", "status"], if_not_exists=True)
    db["check_errors"].create(
        {"id": int, "claim_a": int, "claim_b": int, "reason": str, "output": str, "created_at": str},
        pk="id", if_not_exists=True,
    )


@migration
def m003_slack_posts(db: sqlite_utils.Database) -> None:
    # One row per finding posted; the unique key is what makes a post happen at most once across
    # restarts and Slack retries.
    db["slack_posts"].create(
        {"finding_id": int, "channel": str, "ts": str, "posted_at": str},
        pk="finding_id", if_not_exists=True, foreign_keys=[("finding_id", "findings", "id")],
    )


@migration
def m004_claim_directness(db: sqlite_utils.Database) -> None:
    # 1 = the quote is the speaker's own words in quotation marks, 0 = a reporter's paraphrase.
    # The checker prefers a direct quotation when both restate one statement; older rows stay null.
    if "direct" not in db["claims"].columns_dict:
        db["claims"].add_column("direct", int)


@migration
def m005_retrieval_tokens(db: sqlite_utils.Database) -> None:
    # The checker searches inside one speaker/government bucket and by concept. As FTS columns
    # ("bucket": gov… spk… tokens; "topics": c… concept tokens) FTS5 intersects posting lists
    # instead of SQLite filtering every row that shares a common word (2.6x faster at 100k claims,
    # measured), and one concept token stands for all its synonyms. Plain statements, not
    # sqlite-utils' enable_fts: its executescript would commit this migration halfway. Topics are
    # filled by Ledger.refresh_topics, which runs after migrations once no concept list is recorded.
    columns = db["claims"].columns_dict
    for name in ("bucket", "topics"):
        if name not in columns:
            db["claims"].add_column(name, str)
    rows = db.execute("select id, speaker_id, government from claims").fetchall()
    for cid, speaker_id, government in rows:
        db.execute("update claims set bucket = ? where id = ?", [bucket_tokens(speaker_id, government), cid])
    if "ledger_meta" in db.table_names():
        db.execute("delete from ledger_meta where key = 'concepts_version'")
    for trigger in ("claims_ai", "claims_ad", "claims_au"):
        db.execute(f"drop trigger if exists {trigger}")
    db.execute("drop table if exists claims_fts")
    cols = ["text", "subject", "quote", "speaker", "bucket", "topics"]
    listed = ", ".join(cols)
    old = ", ".join(f"old.{c}" for c in cols)
    new = ", ".join(f"new.{c}" for c in cols)
    db.execute(f"create virtual table claims_fts using fts5({listed}, tokenize='porter', content='claims')")
    db.execute("insert into claims_fts(claims_fts) values('rebuild')")
    db.execute(f"create trigger claims_ai after insert on claims begin "
               f"insert into claims_fts (rowid, {listed}) values (new.rowid, {new}); end")
    db.execute(f"create trigger claims_ad after delete on claims begin "
               f"insert into claims_fts (claims_fts, rowid, {listed}) values ('delete', old.rowid, {old}); end")
    db.execute(f"create trigger claims_au after update on claims begin "
               f"insert into claims_fts (claims_fts, rowid, {listed}) values ('delete', old.rowid, {old}); "
               f"insert into claims_fts (rowid, {listed}) values (new.rowid, {new}); end")


@migration
def m006_ledger_meta(db: sqlite_utils.Database) -> None:
    # Facts about the ledger itself, e.g. which concept list its topic tokens were made with.
    db["ledger_meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


@migration
def m007_lookup_indexes(db: sqlite_utils.Database) -> None:
    # Every lookup /claims and the checker make: findings of a claim from either side (claim_b had
    # no index: a full scan per claim shown), a speaker's claims by date, aliases by speaker.
    db["findings"].create_index(["claim_b"], if_not_exists=True)
    db["aliases"].create_index(["speaker_id"], if_not_exists=True)
    db["claims"].create_index(["speaker_id", "speaker_role", "date"], if_not_exists=True)


@migration
def m008_claim_terms(db: sqlite_utils.Database) -> None:
    # The topic terms the checker compares (stemmed content words, synonyms folded into concepts,
    # the speaker's own name left out), made once when a claim is stored instead of once per pair
    # it is compared in. Filled by Ledger.refresh_topics, which re-derives them with the concepts.
    if "terms" not in db["claims"].columns_dict:
        db["claims"].add_column("terms", str)
    if "ledger_meta" in db.table_names():
        db.execute("delete from ledger_meta where key = 'concepts_version'")


@migration
def m009_content_hash_as_words(db: sqlite_utils.Database) -> None:
    # Article identity ignores line breaks and typographic quotes since this migration, so a
    # pasted, reflowed copy of a stored article is recognised; stored hashes are redone to match.
    # Where two stored articles turn out to be one text, the later keeps its old hash (both stay).
    taken = {row[0] for row in db.execute("select content_hash from articles")}
    for article_id, old, body in db.execute("select id, content_hash, body from articles").fetchall():
        new = content_hash(body or "")
        if new != old and new not in taken:
            db.execute("update articles set content_hash = ? where id = ?", [new, article_id])
            taken.add(new)


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


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Ledger:
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

    # -- articles and claims -----------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        return self.stored_copy(article) is not None

    def stored_copy(self, article: Article) -> str | None:
        """The id of the stored article with the same text (read as words), if any."""
        row = self.db.execute("select id from articles where content_hash = ?", [article.content_hash]).fetchone()
        return row[0] if row else None

    def free_article_id(self, article: Article) -> str:
        row = self.db.execute("select content_hash from articles where id = ?", [article.id]).fetchone()
        if row is None:
            return article.id
        return f"{article.id}-{article.content_hash[:8]}"

    def known_people(self) -> dict[str, str | None]:
        return {r["name"]: r["role"] for r in self.db.query("select name, role from speakers where kind = 'person'")}

    def speaker_id(self, name: str, role: str | None, article_id: str, alias: str | None = None,
                   kind: str | None = None) -> int:
        """The speaker's row, made on first sight. `kind` is what attribution found (person,
        institution, government, org); only people are offered to later articles as known names."""
        inst = actors.institution_by_name(name)
        kind = "institution" if inst else (kind or "person")
        government = actors.government_of(name, role)
        row = self.db.execute("select id from speakers where name = ?", [name]).fetchone()
        if row:
            sid = row[0]
            if role:
                self.db.execute("update speakers set role = ?, government = coalesce(government, ?) where id = ?", [role, government, sid])
        else:
            sid = self.db["speakers"].insert({"name": name, "kind": kind, "government": government, "role": role}).last_pk
        for surface in {name, (alias or "").strip()} - {""}:
            self.db["aliases"].insert({"alias": surface, "speaker_id": sid, "article_id": article_id}, ignore=True)
        return sid

    def store_article(self, article: Article, claims: list[dict], rejections: Iterable, model: str, prompt_version: str) -> str | None:
        """Write an article and its claims atomically; None if the same text is already stored."""
        with self.transaction():
            if self.has_article(article):
                return None
            article_id = self.free_article_id(article)
            self.db["articles"].insert({
                "id": article_id, "content_hash": article.content_hash, "published": article.published.isoformat(),
                "title": article.title, "source": article.source, "url": article.url, "path": article.path,
                "body": article.body, "ingested_at": now(), "model": model, "prompt_version": prompt_version,
            })
            for claim in claims:
                sid = self.speaker_id(claim["speaker"], claim["speaker_role"], article_id, claim.get("_alias"),
                                      claim.get("_speaker_kind"))
                government = actors.government_of(claim["speaker"], claim["speaker_role"])
                cid = self.db["claims"].insert({
                    "article_id": article_id, "speaker_id": sid, "speaker": claim["speaker"],
                    "speaker_role": claim["speaker_role"],
                    "government": government,
                    "date": claim["date"], "kind": claim["kind"], "subject": claim["subject"], "text": claim["text"],
                    "quote": claim["quote"], "quote_start": claim.get("_quote_start"), "quote_end": claim.get("_quote_end"),
                    "kind_confidence": claim.get("_kind_confidence"), "model": model, "prompt_version": prompt_version,
                    "direct": int(bool(claim.get("_direct"))) if "_direct" in claim else None,
                    "bucket": bucket_tokens(sid, government),
                    "topics": claim_topics(claim["quote"], claim["subject"]),
                    "terms": claim_terms(claim["quote"], claim["speaker"]),
                    "created_at": now(), "checked_at": None,
                }).last_pk
                equivalents = claim.get("_equivalents") or [None] * len(claim["figures"])
                for fig, eq in zip(claim["figures"], equivalents):
                    self.db["figures"].insert({
                        "claim_id": cid, "amount": fig["amount"], "currency": fig["currency"], "what": fig["what"],
                        "equivalent_amount": eq[0] if eq else None, "equivalent_currency": eq[1] if eq else None,
                    })
            for rej in rejections:
                self.log_rejection(article_id, rej.stage, rej.reason, rej.payload)
            return article_id

    def log_rejection(self, article_id: str | None, stage: str, reason: str, payload) -> None:
        self.db["rejections"].insert({
            "article_id": article_id, "stage": stage, "reason": reason,
            "payload": json.dumps(payload, default=str)[:4000], "created_at": now(),
        })

    # -- reading ---------------------------------------------------------------------------

    def claim(self, claim_id: int) -> dict | None:
        rows = list(self.db.query(CLAIM_SELECT + " where c.id = ?", [claim_id]))
        return self._with_figures(rows)[0] if rows else None

    def claims(self, where: str = "1", params: list | None = None, order: str = "c.date, c.article_id, c.quote_start") -> list[dict]:
        return self._with_figures(list(self.db.query(f"{CLAIM_SELECT} where {where} order by {order}", params or [])))

    def nearest_in_group(self, speaker_id: int, government: str | None, date: str, claim_id: int, limit: int,
                         later: bool) -> list[int]:
        """Ids of the claims nearest in time by the same speaker or group: up to `limit` before
        (date, id) and, when `later`, up to `limit` after among those already checked. Each side
        is an index range scan (speaker_id, date) or (government, date), so the cost does not grow
        with the ledger."""
        before = "(date < ? or (date = ? and id < ?))"
        after = "(date > ? or (date = ? and id > ?)) and checked_at is not null"
        parts, params = [], []
        for side, direction in [(before, "desc")] + ([(after, "asc")] if later else []):
            for column, value in (("speaker_id", speaker_id), ("government", government)):
                if value is None:
                    continue
                parts.append(f"select id from (select id from claims where {column} = ? and {side} "
                             f"order by date {direction}, id {direction} limit ?)")
                params += [value, date, date, claim_id, limit]
        if not parts:
            return []
        return [r[0] for r in self.db.execute(" union ".join(parts), params).fetchall()]

    def claim_rows(self, ids: list[int], exclude_article: str | None = None) -> list[dict]:
        """Bare claim rows (no article, no figures) for ranking many candidates cheaply."""
        if not ids:
            return []
        sql = f"select id, article_id, speaker, quote, terms, date from claims where id in ({','.join('?' * len(ids))})"
        return [r for r in self.db.query(sql, ids) if r["article_id"] != exclude_article]

    def _with_figures(self, rows: list[dict]) -> list[dict]:
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        figs: dict[int, list] = {}
        for f in self.db.query(f"select * from figures where claim_id in ({','.join('?' * len(ids))}) order by id", ids):
            figs.setdefault(f["claim_id"], []).append(f)
        for r in rows:
            r["figures"] = figs.get(r["id"], [])
        return rows

    def search(self, query: str, speaker: str | None = None, since: str | None = None, until: str | None = None,
               kind: str | None = None, limit: int = 20) -> list[dict]:
        """Ranked full-text search; plain words are matched as terms, never as FTS syntax.

        One pass over the FTS index: bm25 is read once per hit in the same query that filters and
        orders (a correlated bm25 per row opened a new FTS cursor each time and grew with the square
        of the ledger). Without words, the newest claims that pass the filters, by index.
        """
        terms = fts_terms(query)
        where, params = [], []
        if since:
            where.append("c.date >= ?")
            params.append(since)
        if until:
            where.append("c.date <= ?")
            params.append(until)
        if kind:
            where.append("c.kind = ?")
            params.append(kind)
        like = f"%{speaker}%" if speaker else None
        if terms:
            rows = self._ranked(terms, where, params, limit, like)
        else:
            if like:
                where.append(f"c.speaker_id in ({SPEAKER_IDS})")
                params += [like, like]
            sql = f"{CLAIM_SELECT} where {' and '.join(where) or '1'} order by c.date desc, c.id desc limit ?"
            rows = self.db.query(sql, params + [limit])
        return self._with_figures(list(rows))

    def _ranked(self, terms: str, where: list[str], params: list, limit: int, speaker_like: str | None) -> list[dict]:
        """bm25 costs one computation per hit, and a common word hits tens of thousands of claims
        in a large ledger (~70 ms per 25k). So a speaker filter narrows the hits inside FTS5 (the
        speakers' bucket tokens), only the newest RANK_WINDOW hits are ranked (for a word that
        common, recent claims first is what a newsroom wants), the other filters apply to the best
        of those, and only when too few pass is every hit ranked."""
        filters = "".join(f" and {w}" for w in where)
        if speaker_like:
            # The speakers' bucket tokens join the FTS query: FTS5 intersects posting lists.
            ids = [r[0] for r in self.db.execute(f"{SPEAKER_IDS} limit 64", [speaker_like, speaker_like]).fetchall()]
            if not ids:
                return []
            terms = f"({terms}) AND ({' OR '.join(f'bucket:spk{i}' for i in ids)})"
        cut = self.db.execute("select rowid from claims_fts where claims_fts match ? order by rowid desc limit 1 offset ?",
                              [terms, RANK_WINDOW - 1]).fetchone()
        tries = [(cut[0], max(limit * 20, 200))] if cut else []
        tries.append((None, None))
        rows: list[dict] = []
        for newest, inner in tries:
            hits = "select rowid, rank from claims_fts where claims_fts match ?" + (" and rowid >= ?" if newest else "")
            hits += " order by rank" + (f" limit {inner}" if inner else "")
            sql = (f"{CLAIM_COLUMNS} from ({hits}) h join claims c on c.id = h.rowid join articles a on a.id = c.article_id "
                   f"where 1{filters} order by h.rank, c.date desc limit ?")
            rows = list(self.db.query(sql, [terms] + ([newest] if newest else []) + params + [limit]))
            if len(rows) >= limit:
                break
        return rows

    def stats(self) -> dict:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("select count(*) from articles"),
            "claims": q("select count(*) from claims"),
            "speakers": q("select count(*) from speakers"),
            "findings": q("select count(*) from findings"),
            "open_changes": q("select count(*) from findings where relation != 'consistent' and status = 'open'"),
        }


# Speakers a --speaker / speaker: filter names, by canonical name or any alias the ledger has seen.
SPEAKER_IDS = "select id from speakers where name like ? union select speaker_id from aliases where alias like ?"
RANK_WINDOW = 4000  # hits of one query ranked by bm25 at most, newest first (see Ledger._ranked)
CLAIM_COLUMNS = """
select c.*, a.published as article_published, a.title as article_title, a.source as article_source,
       a.url as article_url
"""
CLAIM_SELECT = CLAIM_COLUMNS + "from claims c join articles a on a.id = c.article_id\n"


def fts_terms(query: str) -> str:
    """Turn user text into a safe FTS5 query: each word a quoted term, any may match, bm25 ranks.

    Users type `Putin "negotiations` or `AND OR *`; quoting every word means no input can be an
    FTS syntax error, and bare operators are dropped. Any-term matching with bm25 ranking puts claims
    with every word first, and still finds a claim that names Putin but says "talks".
    """
    words = re.findall(r"[\w’']+", query.lower())
    words = [w.replace("’", "'").strip("'") for w in words]
    words = [w for w in words if w and w not in {"and", "or", "not", "near"}][:32]
    return " OR ".join(f'"{w}"' for w in words)
