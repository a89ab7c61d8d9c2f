import math

import pytest

from claims.checker import Checker, comparable_amounts, roles_conflict
from claims.errors import ModelUnavailable
from claims.export import export
from claims.extract import Extractor
from claims.findings import list_findings, review_finding
from claims.ingest import backfill
from claims.llm import ScriptedBackend

from .conftest import ROOT

PROMPTS = ROOT / "prompts"


@pytest.fixture
def filled(ledger, scripted, seed_articles):
    backfill(ledger, Extractor(scripted, PROMPTS), seed_articles)
    return ledger


def change_rows(ledger):
    return [dict(r) for r in ledger.db.query("select * from findings where relation != 'consistent'")]


def test_former_president_slip_is_found_once_per_article_pair(filled, scripted):
    Checker(filled, scripted, PROMPTS).check()
    roles = [f for f in list_findings(filled) if f["method"] == "roles"]
    pairs = {frozenset((f["a_article"], f["b_article"])) for f in roles}
    # 003 (March 2025) calls Trump "former US President"; 000 and 001 (weeks apart) call him President.
    assert pairs == {frozenset(("000", "003")), frozenset(("001", "003"))}
    assert all(f["relation"] == "contradiction" and "former US President" in f["explanation"] for f in roles)


def test_rerunning_the_checker_is_idempotent(filled, scripted):
    checker = Checker(filled, scripted, PROMPTS)
    checker.check()
    before = filled.db.execute("select count(*) from findings").fetchone()[0]
    assert before > 0
    checker.check(checker.pending(everything=True))
    assert filled.db.execute("select count(*) from findings").fetchone()[0] == before


def test_a_dismissed_finding_never_comes_back(filled, scripted):
    checker = Checker(filled, scripted, PROMPTS)
    checker.check()
    finding = list_findings(filled)[0]
    review_finding(filled, finding["id"], "dismissed", "U123")
    filled.db.execute("delete from findings where id != ?", [finding["id"]])
    checker.check(checker.pending(everything=True))
    rows = list(filled.db.query("select status from findings where claim_a = ? and claim_b = ?",
                                [finding["claim_a"], finding["claim_b"]]))
    assert [r["status"] for r in rows] == ["dismissed"]
    assert all(f["id"] != finding["id"] for f in list_findings(filled, status="open"))


@pytest.mark.parametrize(
    "broken",
    [
        lambda prompt, labels: {labels[0]: float("nan"), **{l: 0.0 for l in labels[1:]}},
        lambda prompt, labels: {"wrong": 0.0},
        lambda prompt, labels: (_ for _ in ()).throw(ModelUnavailable("server answered HTTP 500")),
    ],
    ids=["nan-logprob", "missing-labels", "backend-error"],
)
def test_malformed_model_output_leaves_no_finding_and_a_logged_error(filled, broken, caplog):
    backend = ScriptedBackend(classify_fn=lambda p, labels: broken(p, labels) if "Relation?" in p else "position")
    checker = Checker(filled, backend, PROMPTS, judge_all=True)
    checker._prior = {l: math.log(0.25) for l in ["consistent", "shift", "contradiction", "unrelated"]}
    report = checker.check()
    assert report.pairs_judged > 0
    assert report.errors == report.pairs_judged
    assert filled.db.execute("select count(*) from findings where method = 'model'").fetchone()[0] == 0
    assert filled.db.execute("select count(*) from check_errors").fetchone()[0] == report.pairs_judged
    assert "rejected" in caplog.text


def test_only_pairs_with_change_evidence_go_to_the_model(filled):
    from claims.checker import change_evidence

    asked = []
    backend = ScriptedBackend(classify_fn=lambda p, labels: asked.append(p) or ("consistent" if "Relation?" in p else "position"))
    checker = Checker(filled, backend, PROMPTS)
    pairs = [(a, c) for c in checker.pending() for a in checker.candidates(c)]
    report = checker.check()
    with_evidence = [p for p in pairs if change_evidence("shift", *p) or change_evidence("contradiction", *p)]
    assert 0 < len(with_evidence) < len(pairs) == report.pairs_judged
    relation_prompts = [p for p in asked if p.endswith("Relation?") and "N/A" not in p]
    assert len(relation_prompts) == len(with_evidence)
    methods = {r["method"] for r in filled.db.query("select method from findings")}
    assert {"lexical", "model"} <= methods


def test_model_change_calls_need_text_evidence(filled):
    shift_everywhere = ScriptedBackend(
        classify_fn=lambda p, labels: {l: 0.0 for l in labels} if "N/A" in p else ("shift" if "Relation?" in p else "position"))
    Checker(filled, shift_everywhere, PROMPTS, judge_all=True).check()
    model_shifts = [f for f in list_findings(filled, relation="shift") if f["method"] == "model"]
    assert model_shifts, "pairs with a condition on one side only should pass"
    for f in model_shifts:
        from claims.checker import CONDITION_CUES
        assert bool(CONDITION_CUES.search(f["a_quote"])) != bool(CONDITION_CUES.search(f["b_quote"]))


def test_figures_are_compared_in_code(ledger, scripted):
    from claims.articles import parse_article_text

    a = parse_article_text('published: 2025-01-01\ntitle: a\n\n"We have committed £3 billion for lethal aid," Defence Secretary John Healey said.', "a", "a")
    b = parse_article_text('published: 2025-06-01\ntitle: b\n\n"We have committed £2.5 billion for lethal aid," Defence Secretary John Healey said.', "b", "b")
    c = parse_article_text('published: 2025-07-01\ntitle: c\n\n"We have committed $3.0 billion for lethal aid," Defence Secretary John Healey said.', "c", "c")
    backfill(ledger, Extractor(scripted, PROMPTS), [a, b, c])
    Checker(ledger, None, PROMPTS).check()
    changes = list_findings(ledger, relation="figure_change")
    assert len(changes) == 1
    assert "GBP 3,000,000,000" in changes[0]["explanation"] and "GBP 2,500,000,000" in changes[0]["explanation"]
    assert comparable_amounts({"currency": "GBP", "amount": 3e9, "equivalent_currency": "USD", "equivalent_amount": 3.6e9},
                              {"currency": "USD", "amount": 3.6e9}) == (3.6e9, 3.6e9)


def test_role_conflicts_are_bounded_in_time():
    assert roles_conflict("US President", "former US President", "2025-02-05", "2025-03-17")
    assert not roles_conflict("former US President", "US President", "2025-03-17", "2026-01-15")
    assert not roles_conflict("UK Foreign Secretary", "UK Foreign Secretary", "2025-01-01", "2025-02-01")


def test_candidates_stay_within_a_government_and_are_bounded(filled, scripted):
    checker = Checker(filled, scripted, PROMPTS, max_candidates=2)
    for claim in filled.claims():
        cands = checker.candidates(claim)
        assert len(cands) <= 2
        for other in cands:
            assert other["article_id"] != claim["article_id"]
            assert other["speaker_id"] == claim["speaker_id"] or other["government"] == claim["government"]
            assert (other["date"], other["id"]) < (claim["date"], claim["id"])


def test_export_matches_the_gold_schema(filled, scripted, gold):
    Checker(filled, scripted, PROMPTS).check()
    data = export(filled)
    ids = {c["id"] for c in data["claims"]}
    article_of = {c["id"]: c for c in data["claims"]}
    assert set(data) == {"claims", "relations"}
    assert set(data["claims"][0]) == set(gold["claims"][0])
    for r in data["relations"]:
        assert set(r) == {"a", "b", "relation", "why"} and r["a"] in ids and r["b"] in ids
        assert article_of[r["a"]]["article"] != article_of[r["b"]]["article"]
        assert article_of[r["a"]]["date"] <= article_of[r["b"]]["date"]
