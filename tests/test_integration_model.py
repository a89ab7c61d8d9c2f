"""The real GGUF through llama.cpp. One model object for the session; these tests run serially."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claims.checker import Checker
from claims.cli import cli
from claims.extract import KINDS, Extractor
from claims.ledger import Ledger

from .conftest import ROOT, seed

pytestmark = pytest.mark.model
PROMPTS = ROOT / "prompts"


def test_real_model_labels_a_seed_article(real_backend):
    article = seed("000")
    calls_before = real_backend.usage.calls
    result = Extractor(real_backend, PROMPTS).extract(article)
    assert real_backend.usage.calls - calls_before >= len(result.claims) > 5
    assert all(c["kind"] in KINDS and c["quote"] in article.body for c in result.claims)
    quotes = [c["quote"] for c in result.claims]
    assert "We do not see (that) Russia is serious about negotiations and serious about peace" in quotes
    figure = next(c for c in result.claims if c["quote"].startswith("London previously announced"))
    assert figure["figures"] == [{"amount": 3_000_000_000, "currency": "GBP", "what": "already committed for lethal aid"}]
    assert 0 < figure["_kind_confidence"] <= 1


def test_switching_prompt_families_restores_the_cached_prefix(real_backend):
    from claims.judgment import LABELS
    from claims.llama_backend import LlamaCppBackend

    checker = Checker(Ledger(":memory:"), real_backend, PROMPTS)
    extractor = Extractor(real_backend, PROMPTS)
    pair = checker.vote.messages('2025-01-01 A (x): "We will help."', '2025-02-01 A (x): "We could walk away."')
    kind = extractor._messages('David Lammy (UK Foreign Secretary): "We will send more aid."')
    real_backend.classify(pair, LABELS)
    real_backend.classify(kind, KINDS)
    before = real_backend.usage.prompt_tokens
    again = real_backend.classify(pair, LABELS)
    # Back to the pair question: its ~400-token prefix is restored, not read again.
    assert real_backend.usage.prompt_tokens - before < 50
    fresh = LlamaCppBackend(Path(real_backend.llm.model_path)).classify(pair, LABELS)
    assert max(LABELS, key=again.get) == max(LABELS, key=fresh.get)
    assert all(abs(again[label] - fresh[label]) < 0.2 for label in LABELS), (again, fresh)


def test_a_cached_state_llama_cpp_refuses_is_dropped_and_the_prompt_read_again(real_backend, caplog):
    from claims.judgment import LABELS

    pair = Checker(Ledger(":memory:"), real_backend, PROMPTS).vote.messages('2025-01-01 A (x): "We help."', '2025-02-01 A (x): "We go."')
    kind = Extractor(real_backend, PROMPTS)._messages('David Lammy (UK Foreign Secretary): "We will send more aid."')
    first = real_backend.classify(pair, LABELS)
    real_backend.classify(kind, KINDS)
    for key, (tokens, data) in list(real_backend._snapshots.items()):
        real_backend._snapshots[key] = (tokens, data[: len(data) // 2])  # truncated: llama.cpp refuses it
    try:
        again = real_backend.classify(pair, LABELS)
    finally:
        real_backend._snapshots.clear()  # the session's backend serves later tests
    assert "could not restore" in caplog.text
    # Read again from scratch rather than restored: the same answer up to the floating-point
    # differences of evaluating the prefix in other batch sizes (measured up to 0.03 in log-prob).
    assert again == pytest.approx(first, abs=0.1)


def test_real_model_answers_same_or_changed_on_an_invented_pair(real_backend, ledger):
    """The model's narrow question, as the checker asks it when a fitted combination weighs it."""
    checker = Checker(ledger, real_backend, PROMPTS)
    earlier = {"quote": "The province will fund the new bridge over the Varna river.", "date": "2025-02-01",
               "speaker": "Lena Ostrova", "speaker_role": "Governor"}
    later = {"quote": "The province will no longer fund the bridge over the Varna river.", "date": "2025-05-01",
             "speaker": "Lena Ostrova", "speaker_role": "Governor"}
    first = checker.vote.p_changed(earlier, later)
    assert 0.0 < first < 1.0
    # Asked again, the cached prompt prefix is restored rather than re-read: the same answer up to
    # floating-point batching differences.
    assert checker.vote.p_changed(earlier, later) == pytest.approx(first, abs=0.02)
    weights = {**checker.weights, "changed": {"bias": -2.0, "weights": {"model_changed": 4.0}}}
    values_checker = Checker(ledger, real_backend, PROMPTS, weights=weights)
    assert values_checker.uses_model and values_checker.judge({**earlier, "id": 1}, {**later, "id": 2}) is not None


def test_demo_then_eval_on_the_seeds(tmp_path, gold):
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Ledger: 5 articles" in result.output and "CONTRADICTION" in result.output
    gold_file = ROOT.parent / "shared" / "seeds" / "gold.json"
    scored = CliRunner().invoke(cli, ["eval", "--gold", str(gold_file), "--db", str(db), "--json"])
    scores = json.loads(scored.output)
    assert scores["claims"]["recall"] >= 0.8
    assert scores["quotes_verbatim"].split("/")[0] == scores["quotes_verbatim"].split("/")[1]
