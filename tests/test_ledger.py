import sqlite3

import pytest

from claims.extract import Extractor
from claims.ingest import backfill
from claims.ledger import MIGRATIONS, Ledger, fts_terms

from .conftest import ROOT, SEEDS, seed

PROMPTS = ROOT / "prompts"


def test_backfill_stores_each_article_once(ledger, scripted, seed_articles):
    extractor = Extractor(scripted, PROMPTS)
    first = backfill(ledger, extractor, seed_articles)
    assert first.articles_stored == 5 and first.claims_stored > 35
    again = backfill(ledger, extractor, seed_articles)
    assert again.articles_stored == 0 and again.articles_skipped == 5
    assert ledger.stats()["claims"] == first.claims_stored
    names = {r["name"] for r in ledger.db.query("select name from speakers")}
    assert {"David Lammy", "Yvette Cooper", "Downing Street", "Kremlin"} <= names


def test_a_crash_mid_article_leaves_nothing_of_it(ledger, scripted, monkeypatch):
    article = seed("000")
    claims = Extractor(scripted, PROMPTS).extract(article).claims
    calls = []
    real = ledger.speaker_id

    def dies_on_the_fourth_claim(*args):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt  # as if the process were killed half-way through the article
        return real(*args)

    monkeypatch.setattr(ledger, "speaker_id", dies_on_the_fourth_claim)
    with pytest.raises(KeyboardInterrupt):
        ledger.store_article(article, claims, [], "m", "p")
    assert ledger.stats() == {"articles": 0, "claims": 0, "speakers": 0, "findings": 0, "open_changes": 0}
    assert ledger.db.execute("select count(*) from figures").fetchone()[0] == 0


def test_required_columns_are_enforced_by_sqlite(ledger, scripted):
    article = seed("000")
    claims = Extractor(scripted, PROMPTS).extract(article).claims
    claims[2]["quote"] = None
    with pytest.raises(sqlite3.IntegrityError):
        ledger.store_article(article, claims, [], "m", "p")
    assert ledger.stats()["articles"] == 0


def test_migrations_are_recorded_and_idempotent(settings):
    Ledger(settings.db_path)
    again = Ledger(settings.db_path)
    names = [r["name"] for r in again.db.query("select name from migrations order by name")]
    assert names == sorted(fn.__name__ for fn in MIGRATIONS) and len(names) == len(set(names)) >= 9


def test_old_ledgers_recognise_reflowed_copies_after_migration(settings, scripted, seed_articles):
    import dataclasses
    import hashlib

    ledger = Ledger(settings.db_path)
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles[:1])
    article = seed_articles[0]
    # As the ledger was before m009: the hash of the raw body.
    ledger.db.execute("update articles set content_hash = ?", [hashlib.sha256(article.body.encode()).hexdigest()])
    ledger.db.execute("delete from migrations where name = 'm009_content_hash_as_words'")
    ledger.db.conn.commit()
    reflowed = dataclasses.replace(article, id="copy", body=article.body.replace(" ", "\n", 40).replace("\n\n", "\n"))
    assert reflowed.body != article.body
    reopened = Ledger(settings.db_path)
    assert reopened.stored_copy(reflowed) == reopened.db.execute("select id from articles").fetchone()[0]
    assert backfill(reopened, Extractor(scripted, PROMPTS), [reflowed]).articles_skipped == 1


def test_concept_tokens_follow_a_changed_concept_list(settings, scripted, seed_articles):
    ledger = Ledger(settings.db_path)
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles[:1])
    claim = ledger.claims()[0]
    assert ledger.refresh_topics() == 0, "nothing to do when the list is the one the tokens came from"
    # As if the tokens had been made with an older concept list.
    ledger.db.execute("update claims set topics = 'cstale' where id = ?", [claim["id"]])
    ledger.db.execute("update ledger_meta set value = 'older' where key = 'concepts_version'")
    reopened = Ledger(settings.db_path)
    assert reopened.claim(claim["id"])["topics"] == claim["topics"] != "cstale"
    hits = reopened.db.execute("select rowid from claims_fts where claims_fts match 'topics:cstale'").fetchall()
    assert hits == [], "the full-text index follows the column"


def test_a_ledger_from_before_m004_is_upgraded_in_place(settings, scripted, seed_articles):
    from claims.checker import Checker

    ledger = Ledger(settings.db_path)
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles[:2])
    count = ledger.db["claims"].count
    # What a ledger written before m004 looks like: no directness, no retrieval tokens, FTS over
    # four columns.
    ledger.db.execute("drop trigger claims_ai")
    ledger.db.execute("drop trigger claims_ad")
    ledger.db.execute("drop trigger claims_au")
    ledger.db.execute("drop table claims_fts")
    for column in ("direct", "bucket", "topics"):
        ledger.db.execute(f"alter table claims drop column {column}")
    ledger.db.execute("create virtual table claims_fts using fts5(text, subject, quote, speaker, tokenize='porter', content='claims')")
    ledger.db.execute("insert into claims_fts(claims_fts) values('rebuild')")
    ledger.db.execute("delete from migrations where name in ('m004_claim_directness', 'm005_retrieval_tokens')")

    upgraded = Ledger(settings.db_path)
    assert {"direct", "bucket", "topics"} <= set(upgraded.db["claims"].columns_dict)
    assert upgraded.db["claims"].count == count > 0
    assert {r["direct"] for r in upgraded.db.query("select direct from claims")} == {None}
    assert all(r["bucket"] and r["topics"] is not None for r in upgraded.db.query("select bucket, topics from claims"))
    assert upgraded.search("Lammy negotiations"), "the rebuilt index still serves search"
    checker = Checker(upgraded, scripted, PROMPTS)
    assert any(checker.candidates(c) for c in upgraded.claims()), "and the checker's bucketed search"
    # New claims are indexed by the new triggers.
    backfill(upgraded, Extractor(scripted, PROMPTS), seed_articles[2:3])
    newest = max(upgraded.claims(), key=lambda c: c["id"])
    hits = upgraded.db.execute("select rowid from claims_fts where claims_fts match ?",
                               [f"bucket:spk{newest['speaker_id']}"]).fetchall()
    assert (newest["id"],) in hits


def test_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(Exception, match="not a claims ledger|file is not a database"):
        Ledger(path)


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "*", "NEAR(", "Putin's", "x" * 4000, ")))"])
def test_search_never_raises_on_fts_syntax(ledger, scripted, query):
    backfill(ledger, Extractor(scripted, PROMPTS), [seed("000")])
    assert isinstance(ledger.search(query), list)


def test_search_ranks_and_filters(ledger, scripted, seed_articles):
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles)
    rows = ledger.search("Putin negotiations", limit=20)
    speakers = {r["speaker"] for r in rows}
    assert {"David Lammy", "Yvette Cooper"} <= speakers
    assert all("putin" in (r["quote"] + r["text"]).lower() or "negotiat" in (r["quote"] + r["text"]).lower() for r in rows)
    cooper = ledger.search("Putin", speaker="Cooper", since="2026-01-01")
    assert cooper and all(r["speaker"] == "Yvette Cooper" and r["date"] >= "2026-01-01" for r in cooper)
    assert all(r["kind"] == "figure" for r in ledger.search("", kind="figure"))


def test_fts_terms_quotes_every_word():
    assert fts_terms('Putin "negotiations AND *') == '"putin" OR "negotiations"'
    assert fts_terms("") == ""


def test_aliases_record_how_each_article_named_the_speaker(ledger, scripted, seed_articles):
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles)
    aliases = {r["alias"] for r in ledger.db.query(
        "select alias from aliases join speakers s on s.id = speaker_id where s.name = 'David Lammy'")}
    assert {"David Lammy", "Mr Lammy", "The Foreign Secretary"} <= aliases
    assert {r["speaker"] for r in ledger.search("", speaker="Mr Lammy")} == {"David Lammy"}
    no10 = {r["alias"] for r in ledger.db.query(
        "select alias from aliases join speakers s on s.id = speaker_id where s.name = 'Downing Street'")}
    assert "No 10" in no10


def test_two_backfills_of_one_ledger_at_once_store_each_article_once(tmp_path):
    """Two processes, same new ledger, same articles: both finish, nothing is stored twice."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from claims.articles import iter_articles; "
        "from claims.extract import Extractor; from claims.ingest import backfill; from claims.ledger import Ledger; "
        "from tests.scripted_backend import ScriptedBackend; "
        "ledger = Ledger(Path(sys.argv[1])); arts = list(iter_articles([Path(sys.argv[2])], 10**7)); "
        "backfill(ledger, Extractor(ScriptedBackend(), Path(sys.argv[3])), arts)"
    )
    db = tmp_path / "shared.db"
    args = [sys.executable, "-c", script, str(db), str(SEEDS), str(PROMPTS)]
    runs = [subprocess.Popen(args, stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    ledger = Ledger(db)
    assert ledger.stats()["articles"] == len(list(SEEDS.glob("*.txt")))
    stored = ledger.db.execute("select count(*) from claims").fetchone()[0]
    distinct = ledger.db.execute("select count(*) from (select distinct article_id, quote_start, quote_end from claims)").fetchone()[0]
    assert stored == distinct > 0


def test_a_filter_that_excludes_the_best_hits_still_finds_the_rest(ledger):
    """Filters apply to the best hits first; when too few pass, to every hit."""
    from claims.articles import Article
    import datetime as dt

    claims = []
    for n in range(300):
        speaker = "Ana Reyes" if n == 299 else "Victor Lund"
        quote = "harbour levy " * (3 if speaker == "Victor Lund" else 1) + f"statement {n}"
        claims.append({"speaker": speaker, "speaker_role": None, "date": "2025-01-01", "kind": "position",
                       "subject": "harbour", "text": quote, "quote": quote, "figures": []})
    ledger.store_article(Article("a", dt.date(2025, 1, 1), "t", "body"), claims, [], "m", "p")
    assert [r["speaker"] for r in ledger.search("harbour levy", speaker="Reyes")] == ["Ana Reyes"]
    assert len(ledger.search("harbour levy", limit=5)) == 5
    assert ledger.search("harbour levy", since="2026-01-01") == []
