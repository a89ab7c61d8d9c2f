"""The ledger's schema as numbered migrations, each applied once and recorded in `migrations`.

Table and column names are plain English so `datasette ledger.db` is a usable browser.
"""

from __future__ import annotations

import sqlite_utils

from ..articles import content_hash
from .tokens import bucket_tokens

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
def m003_retired(db: sqlite_utils.Database) -> None:
    # Once a table of the chat front end's delivery state; that now lives in `deliveries` (m010).
    # Kept as a no-op so the numbering of recorded migrations reads without a gap.
    del db


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


@migration
def m010_deliveries(db: sqlite_utils.Database) -> None:
    # Which findings were delivered to a reader's channel, and the receipt the channel gave back.
    # The row is written before the delivery: the unique key makes a delivery happen at most once
    # across restarts and retried events, and a failed delivery deletes its row again.
    db["deliveries"].create(
        {"finding_id": int, "destination": str, "receipt": str, "delivered_at": str},
        pk="finding_id", if_not_exists=True, foreign_keys=[("finding_id", "findings", "id")],
    )
