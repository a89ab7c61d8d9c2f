import pytest

from claims.checker import Checker, change_evidence, comparable_amounts, hardens, roles_conflict
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
    backend = ScriptedBackend(classify_fn=lambda p, labels: broken(p, labels) if "Same or changed?" in p else "position")
    checker = Checker(filled, backend, PROMPTS, judge_all=True)
    report = checker.check()
    assert report.pairs_judged > 0
    assert report.errors == report.pairs_judged
    assert filled.db.execute("select count(*) from findings where method = 'model'").fetchone()[0] == 0
    assert filled.db.execute("select count(*) from check_errors").fetchone()[0] == report.pairs_judged
    assert "rejected" in caplog.text


def test_only_pairs_with_change_evidence_go_to_the_model(filled):
    asked = []
    backend = ScriptedBackend(classify_fn=lambda p, labels: asked.append(p) or ("same" if "Same or changed?" in p else "position"))
    checker = Checker(filled, backend, PROMPTS)
    pairs = [(a, c) for c in checker.pending() for a in checker.candidates(c)]
    report = checker.check()
    with_evidence = [p for p in pairs if change_evidence(*p)]
    assert 0 < len(with_evidence) < len(pairs) == report.pairs_judged
    assert len([p for p in asked if p.endswith("Same or changed?")]) == len(with_evidence)
    methods = {r["method"] for r in filled.db.query("select method from findings")}
    assert {"lexical", "model"} <= methods
    # The model said "same" to every pair: no model finding may claim a change.
    assert not list(filled.db.query("select 1 from findings where method = 'model' and relation != 'consistent'"))


def test_model_change_calls_need_text_evidence(filled):
    changed_everywhere = ScriptedBackend(classify_fn=lambda p, labels: "changed" if "Same or changed?" in p else "position")
    Checker(filled, changed_everywhere, PROMPTS, judge_all=True).check()
    model_changes = [f for f in list_findings(filled) if f["method"] == "model" and f["relation"] != "consistent"]
    assert model_changes, "pairs with an ultimatum on the later side only should pass"
    for f in model_changes:
        assert change_evidence(filled.claim(f["claim_a"]), filled.claim(f["claim_b"]))
    consistent = [f for f in list_findings(filled, relation="consistent") if f["method"] == "model"]
    assert consistent, "with --judge-all, pairs without evidence are asked too and stay consistent"
    assert all(not change_evidence(filled.claim(f["claim_a"]), filled.claim(f["claim_b"])) for f in consistent)


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


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        ("Trump vowed to broker a swift settlement.", "It's time for them to say yes, or for the United States to walk away.", "hardening"),
        ("We will keep funding the talks.", "We could abandon the talks unless both sides sign.", "hardening"),
        ("We will keep funding the talks.", "This is their last chance to sign.", "hardening"),
        # Negated cues reaffirm: no change.
        ("We will keep funding the talks.", "Britain will never abandon Ukraine and would not walk away.", None),
        ("We will keep funding the talks.", "There is no deadline for the talks.", None),
        ("We will keep funding the talks.", "We decided not to walk away.", None),
        # A condition on the other side keeps up pressure; it is no new stance.
        ("We will raise sanctions on Moscow.", "There will be more sanctions unless Moscow agrees to a ceasefire.", None),
        # A report that someone left is an event, not a threat.
        ("We will broker a deal.", "Envoys pulled out of talks in London.", None),
        ("Paris will not talk to the Kremlin.", "The time has come to speak with Russia.", "softening"),
        ("We are open to talks.", "We are still open to talks.", None),
        ("We are ready to talk to anyone.", "We are not willing to negotiate over Ukraine's head.", "closing"),
        ("We are open to talks with Moscow.", "The government rules out talks with Moscow.", "closing"),
        ("We are open to talks with Moscow.", "Kyiv does not rule out any format of talks.", None),
        ("Paris will not talk to the Kremlin.", "Paris is not willing to talk to the Kremlin.", None),
        # Demanding that the other side withdraw is no threat to walk away.
        ("We back the peace process.", "Russia needs to withdraw from Kherson before any peace process.", None),
        ("We will send troops to the border mission.", "We will not send troops to the border mission.", "reversal"),
        # A demand on others is no assertion to reverse.
        ("We do not see Russia is serious about peace.", "It is time for Russia to get serious about peace.", None),
    ],
)
def test_change_evidence_reads_the_direction_of_a_change(earlier, later, expected):
    a = {"quote": earlier, "subject": "", "speaker": "Someone", "speaker_id": 1}
    b = {"quote": later, "subject": "", "speaker": "Someone", "speaker_id": 1}
    assert change_evidence(a, b) == expected


def test_a_reversal_needs_one_speaker():
    a = {"quote": "We will send troops to the border mission.", "subject": "", "speaker": "A One", "speaker_id": 1}
    b = {"quote": "We will not send troops to the border mission.", "subject": "", "speaker": "B Two", "speaker_id": 2}
    assert change_evidence(a, b) is None
    assert hardens("They could withdraw from the deal.") and not hardens("They withdrew from the deal in May.")
    assert not hardens("Moscow will withdraw its troops.") and hardens("We may step back from mediation.")


ARTICLES = {
    "early": ('published: 2025-02-01\ntitle: early\n\n'
              'President Donald Trump vowed to broker a swift settlement between the two countries.'),
    "late": ('published: 2025-04-20\ntitle: late\n\n'
             'Vice-president JD Vance said the US could abandon efforts to broker peace unless both sides agreed.\n'
             'Mr Vance said the President "issued a very explicit proposal, and it is time for them to either say yes, '
             'or for the United States to walk away from this process".'),
}


def _synthetic(ledger, scripted):
    from claims.articles import parse_article_text

    articles = [parse_article_text(text, name, name) for name, text in ARTICLES.items()]
    backfill(ledger, Extractor(scripted, PROMPTS), articles)
    return ledger.claims()


def test_an_ultimatum_is_linked_to_the_commitment_it_revises_and_the_model_can_veto_it(ledger, scripted):
    claims = _synthetic(ledger, scripted)
    assert len(claims) == 3
    pledge = next(c for c in claims if c["article_id"] == "early")
    quoted = next(c for c in claims if c["direct"])
    # "settlement" and "proposal" share no word, only the concept 'deal'.
    assert pledge["id"] in [c["id"] for c in Checker(ledger, scripted, PROMPTS).candidates(quoted)]

    Checker(ledger, scripted, PROMPTS).check()  # the double answers "same" to every pair
    assert not list_findings(ledger, relation="shift")


def test_a_paraphrase_and_its_quotation_make_one_finding_in_the_speakers_words(ledger):
    changed = ScriptedBackend(classify_fn=lambda p, labels: {"same": -1.2, "changed": -0.36} if "Same or changed?" in p else "position")
    _synthetic(ledger, changed)
    Checker(ledger, changed, PROMPTS).check()
    shifts = list_findings(ledger, relation="shift")
    assert len(shifts) == 1, shifts
    later = ledger.claim(shifts[0]["claim_b"])
    assert later["direct"] == 1 and "walk away" in later["quote"]
    assert shifts[0]["method"] == "model" and shifts[0]["confidence"] == pytest.approx(0.7, abs=0.01)
    assert "ultimatum" in shifts[0]["explanation"] and "swift settlement" in shifts[0]["explanation"]
    assert "walk away" in shifts[0]["explanation"], "the later side is quoted where it changes"
    # Checked again, the paraphrase does not bring its duplicate back.
    checker = Checker(ledger, changed, PROMPTS)
    checker.check(checker.pending(everything=True))
    assert len(list_findings(ledger, relation="shift")) == 1


def test_an_older_article_backfilled_later_is_compared_with_newer_checked_claims(ledger):
    from claims.articles import parse_article_text

    changed = ScriptedBackend(classify_fn=lambda p, labels: "changed" if "Same or changed?" in p else "position")
    late, early = (parse_article_text(ARTICLES[name], name, name) for name in ("late", "early"))
    backfill(ledger, Extractor(changed, PROMPTS), [late])
    Checker(ledger, changed, PROMPTS).check()
    assert not list_findings(ledger)
    backfill(ledger, Extractor(changed, PROMPTS), [early])  # the February pledge arrives after April
    Checker(ledger, changed, PROMPTS).check()
    shifts = list_findings(ledger, relation="shift")
    assert len(shifts) == 1
    assert (shifts[0]["a_article"], shifts[0]["b_article"]) == ("early", "late")
    assert "walk away" in ledger.claim(shifts[0]["claim_b"])["quote"]


def test_a_softened_refusal_and_a_cut_figure_end_to_end(ledger):
    from claims.articles import parse_article_text

    texts = {
        "march": ('published: 2024-03-02\ntitle: Paris rules out talks\n\n'
                  '"There will be no talks with Moscow as long as Russian troops occupy Ukrainian land," Macron told reporters.\n'
                  'German Chancellor Olaf Scholz pledged 7 billion euros in military aid for 2024.'),
        "september": ('published: 2024-09-20\ntitle: Macron opens door\n\n'
                      'French President Emmanuel Macron said: "We are open to talks with the Kremlin if they can lead to a ceasefire."\n'
                      'Olaf Scholz said Germany would provide 4 billion euros in military aid next year.'),
    }
    changed = ScriptedBackend(classify_fn=lambda p, labels: "changed" if "Same or changed?" in p else "position")
    backfill(ledger, Extractor(changed, PROMPTS), [parse_article_text(t, n, n) for n, t in texts.items()])
    Checker(ledger, changed, PROMPTS).check()
    shift, = list_findings(ledger, relation="shift")
    assert "softens the refusal" in shift["explanation"] and shift["a_article"] == "march"
    cut, = list_findings(ledger, relation="figure_change")
    assert cut["method"] == "figures"
    assert "EUR 7,000,000,000 in military aid" in cut["explanation"] and "EUR 4,000,000,000" in cut["explanation"]
