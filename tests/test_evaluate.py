import copy

from claims.evaluate import evaluate

from .conftest import seed


def bodies():
    return {a: seed(a).body for a in ("000", "001", "002", "003", "004")}


def test_gold_scores_perfectly_against_itself(gold):
    result = evaluate(gold, gold, bodies())
    assert result["claims"]["recall"] == 1.0 and result["claims"]["precision"] == 1.0
    assert result["change_relations"]["f1"] == 1.0
    assert result["quotes_verbatim"] == f"{len(gold['claims'])}/{len(gold['claims'])}"


def test_overlap_speaker_and_labels_decide_matches(gold):
    pred = copy.deepcopy(gold)
    body = bodies()["000"]
    c1 = next(c for c in pred["claims"] if c["id"] == "c1")
    # A longer span containing the gold quote still matches; a wrong speaker does not.
    start = body.find(c1["quote"])
    c1["quote"] = body[max(0, start - 1): start + len(c1["quote"]) + 20]
    c2 = next(c for c in pred["claims"] if c["id"] == "c2")
    c2["speaker"] = "Someone Else"
    shift = next(r for r in pred["relations"] if r["relation"] == "shift")
    shift["relation"] = "consistent"
    result = evaluate(pred, gold, bodies())
    assert result["claims"]["matched"] == len(gold["claims"]) - 1
    assert result["change_relations"]["matched"] == 3 and result["change_relations"]["gold"] == 4
    assert result["change_relations"]["predicted"] == 3
    assert result["change_relations"]["precision"] == 1.0
