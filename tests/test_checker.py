import pytest

from claims import change_signals
from claims.checker import Checker
from claims.errors import ModelUnavailable
from claims.export import export
from claims.extract import Extractor
from claims.findings import review_finding
from claims.roles import roles_conflict
from claims.ingest import backfill
from .scripted_backend import ScriptedBackend

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
    roles = [f for f in filled.findings() if f["method"] == "roles"]
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
    finding = filled.findings()[0]
    review_finding(filled, finding["id"], "dismissed", "U123")
    filled.db.execute("delete from findings where id != ?", [finding["id"]])
    checker.check(checker.pending(everything=True))
    rows = list(filled.db.query("select status from findings where claim_a = ? and claim_b = ?",
                                [finding["claim_a"], finding["claim_b"]]))
    assert [r["status"] for r in rows] == ["dismissed"]
    assert all(f["id"] != finding["id"] for f in filled.findings(status="open"))



def _weights(related: dict, changed: dict, change_threshold=0.5, link_threshold=0.5) -> dict:
    """A combination written by hand, so a test decides which signal carries the decision."""
    return {"related": {"bias": related.pop("bias", 0.0), "weights": related},
            "changed": {"bias": changed.pop("bias", 0.0), "weights": changed},
            "change_threshold": change_threshold, "link_threshold": link_threshold}


def claim(quote, date="2025-01-01", speaker="Ana Reyes", kind="position", role=None, **extra):
    return {"quote": quote, "date": date, "speaker": speaker, "speaker_role": role, "kind": kind, "id": extra.pop("id", 1),
            **extra}


@pytest.mark.parametrize(
    ("earlier", "later", "signal", "fires"),
    [
        ("We will build the northern rail line.", "We will not build the northern rail line.", "negation_flip", True),
        ("We will build the northern rail line.", "We will build the northern rail line on time.", "negation_flip", False),
        ("We will build the northern rail line.", "The northern rail line has been scrapped.", "reversal_later", True),
        ("We will build the northern rail line.", "The northern rail line stays on track.", "reversal_later", False),
        ("We will cut the fishing quota.", "We may consider cutting the fishing quota.", "commitment_moves", True),
        ("The port fee stays.", "The port fee stays unless shippers invest locally.", "condition_added", True),
        ("We want a trade deal.", "They have until the deadline on Friday to sign the trade deal.", "deadline_added", True),
        ("Tariffs on Ruritanian steel are 20%.", "Tariffs on Ruritanian steel will rise to 30%.", "figure_differs", True),
        ("Tariffs on Ruritanian steel are 20%.", "A 20% tariff on Ruritanian steel stays.", "figure_same", True),
        ("Tariffs on Ruritanian steel are 20%.", "Inflation reached 30% last winter.", "figure_differs", False),
        ("The harbour budget is £40m.", "The harbour budget is $40m.", "figure_differs", False),
        ("Tariffs on Canadian lumber are 20%.", "Tariffs on Chinese lumber are 30%.", "figure_differs", False),
        ("Tariffs on Canadian lumber are 20%.", "Tariffs on Chinese lumber are 30%.", "places_differ", True),
    ],
)
def test_each_change_signal_reads_what_it_names(earlier, later, signal, fires):
    values = change_signals.signals(claim(earlier), claim(later, date="2025-06-01"))
    assert bool(values[signal]) is fires, values


def test_a_printed_conversion_makes_two_currencies_comparable():
    a = claim("The ministry pledged £3 billion ($3.6 billion) for flood defences.")
    b = claim("The ministry now pledges $3.6 billion for flood defences.", date="2025-03-01")
    assert change_signals.figures_compared(a, b) == (True, False)


def test_the_fitted_combination_is_a_probability_and_ranks_a_figure_change_above_a_restatement():
    same = change_signals.signals(claim("The ferry subsidy is £12m a year."), claim("The ferry subsidy is £12m a year, again.", "2025-05-01"))
    cut = change_signals.signals(claim("The ferry subsidy is £12m a year."), claim("The ferry subsidy falls to £8m a year.", "2025-05-01"))
    model = change_signals.model()
    p_same = change_signals.combine(same, model["related"]) * change_signals.combine(same, model["changed"])
    p_cut = change_signals.combine(cut, model["related"]) * change_signals.combine(cut, model["changed"])
    assert 0 < p_same < p_cut < 1


def test_the_decision_follows_the_combination(ledger):
    checker = Checker(ledger, None, PROMPTS, weights=_weights({"overlap": 8.0, "bias": -2.0}, {"reversal_later": 8.0, "bias": -4.0}))
    earlier = claim("We will build the northern rail line.", id=1)
    scrapped = claim("The northern rail line has been scrapped.", date="2025-06-01", id=2)
    kept = claim("We will build the northern rail line as planned.", date="2025-06-01", id=3)
    elsewhere = claim("Hospital waiting lists are falling.", date="2025-06-01", id=4)
    shift = checker.judge(earlier, scrapped)
    assert shift.relation == "shift" and "reverses" in shift.explanation and "scrapped" in shift.explanation
    assert checker.judge(earlier, kept).relation == "consistent"
    assert checker.judge(earlier, elsewhere) is None, "an unlinked pair is not recorded"


def test_figures_are_compared_in_code(ledger, scripted):
    from claims.articles import parse_article_text

    a = parse_article_text('published: 2025-01-01\ntitle: a\n\n"We have committed £3 billion for lethal aid," Defence Secretary John Healey said.', "a", "a")
    b = parse_article_text('published: 2025-06-01\ntitle: b\n\n"We have committed £2.5 billion for lethal aid," Defence Secretary John Healey said.', "b", "b")
    backfill(ledger, Extractor(scripted, PROMPTS), [a, b])
    Checker(ledger, None, PROMPTS).check()
    change, = ledger.findings(relation="figure_change")
    assert "GBP 3,000,000,000" in change["explanation"] and "GBP 2,500,000,000" in change["explanation"]
    assert change["method"] == "signals"


def test_the_model_is_asked_only_when_the_combination_weighs_its_answer(filled):
    asked = []
    backend = ScriptedBackend(classify_fn=lambda p, labels: asked.append(p) or ("changed" if "Same or changed?" in p else "position"))
    Checker(filled, backend, PROMPTS).check()
    assert not [p for p in asked if "Same or changed?" in p]
    filled.db.execute("delete from findings")
    filled.db.execute("update claims set checked_at = null")
    weights = _weights({"overlap": 6.0, "bias": -1.0}, {"model_changed": 10.0, "bias": -5.0}, change_threshold=0.3)
    report = Checker(filled, backend, PROMPTS, weights=weights).check()
    assert report.model_calls == len([p for p in asked if "Same or changed?" in p]) > 0
    assert list(filled.db.query("select 1 from findings where relation in ('shift', 'contradiction', 'figure_change')"))


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
    backend = ScriptedBackend(classify_fn=lambda p, labels: broken(p, labels) if "Same or changed?" in p else "position")
    weights = _weights({"overlap": 6.0, "bias": -1.0}, {"model_changed": 10.0, "bias": -5.0})
    report = Checker(filled, backend, PROMPTS, weights=weights).check()
    assert report.pairs_judged > 0
    assert report.errors == report.pairs_judged
    assert filled.db.execute("select count(*) from findings where method = 'signals'").fetchone()[0] == 0
    assert filled.db.execute("select count(*) from check_errors").fetchone()[0] == report.pairs_judged
    assert "rejected" in caplog.text


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


ARTICLES = {
    "early": ('published: 2025-02-01\ntitle: early\n\n'
              'Governor Lena Ostrova said the province would fund the new bridge over the Varna river.'),
    "late": ('published: 2025-04-20\ntitle: late\n\n'
             'Governor Lena Ostrova said the builders have until the deadline on Friday to agree a price for the bridge '
             'over the Varna river, or the province would stop funding it.'),
}


def test_an_older_article_backfilled_later_is_compared_with_newer_checked_claims(ledger):
    from claims.articles import parse_article_text

    scripted = ScriptedBackend()
    late, early = (parse_article_text(ARTICLES[name], name, name) for name in ("late", "early"))
    backfill(ledger, Extractor(scripted, PROMPTS), [late])
    weights = _weights({"same_speaker": 6.0, "bias": -3.0}, {"deadline_added": 8.0, "bias": -4.0})
    Checker(ledger, None, PROMPTS, weights=weights).check()
    assert not [f for f in ledger.findings() if f["relation"] != "consistent"]
    backfill(ledger, Extractor(scripted, PROMPTS), [early])  # the February pledge arrives after April
    Checker(ledger, None, PROMPTS, weights=weights).check()
    shifts = ledger.findings(relation="shift")
    assert shifts and all((f["a_article"], f["b_article"]) == ("early", "late") for f in shifts)
    assert any("deadline" in ledger.claim(f["claim_b"])["quote"] for f in shifts)
