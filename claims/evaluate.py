"""Score an export against a gold file: claim recall/precision and change-relation P/R/F1.

Claims match when they come from the same article, name the same speaker, and their quotes overlap
in the article body by at least half of the shorter quote; matching is one-to-one, best overlap
first. A predicted relation counts when both of its claims match the gold relation's claims (in
either order) and the label is the same. Change detection is also scored as one class
(`changes_any_label`: shift, contradiction and figure_change against consistent), as the dev set's
README asks, since annotators agree on change-or-not far more often than on the exact label.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANGE = ("shift", "contradiction", "figure_change")
MIN_OVERLAP = 0.5


@dataclass
class Score:
    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"matched": self.matched, "predicted": self.predicted, "gold": self.gold,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def _span(quote: str, body: str | None) -> tuple[int, int] | None:
    if body is None:
        return None
    start = body.find(quote)
    return (start, start + len(quote)) if start >= 0 else None


def _overlap(a: dict, b: dict, bodies: dict[str, str]) -> float:
    body = bodies.get(a["article"])
    sa, sb = _span(a["quote"], body), _span(b["quote"], body)
    if sa is None or sb is None:
        # Without the article text, fall back to containment of one quote in the other.
        return 1.0 if (a["quote"] in b["quote"] or b["quote"] in a["quote"]) else 0.0
    inter = min(sa[1], sb[1]) - max(sa[0], sb[0])
    shorter = min(sa[1] - sa[0], sb[1] - sb[0]) or 1
    return max(0, inter) / shorter


def match_claims(predicted: list[dict], gold: list[dict], bodies: dict[str, str]) -> dict[str, str]:
    """Predicted id -> gold id."""
    pairs = []
    for p in predicted:
        for g in gold:
            if p["article"] != g["article"] or p["speaker"].strip().lower() != g["speaker"].strip().lower():
                continue
            ov = _overlap(p, g, bodies)
            if ov >= MIN_OVERLAP:
                pairs.append((ov, p["id"], g["id"]))
    pairs.sort(key=lambda t: -t[0])
    mapping, used = {}, set()
    for _ov, pid, gid in pairs:
        if pid in mapping or gid in used:
            continue
        mapping[pid] = gid
        used.add(gid)
    return mapping


def score_relations(pred_rel: list[dict], gold_rel: list[dict], mapping: dict[str, str], labels) -> Score:
    gold_set = {(frozenset((r["a"], r["b"])), r["relation"]) for r in gold_rel if r["relation"] in labels}
    predicted = [r for r in pred_rel if r["relation"] in labels]
    matched = 0
    seen = set()
    for r in predicted:
        if r["a"] in mapping and r["b"] in mapping:
            key = (frozenset((mapping[r["a"]], mapping[r["b"]])), r["relation"])
            if key in gold_set and key not in seen:
                matched += 1
                seen.add(key)
    return Score(matched, len(predicted), len(gold_set))


def score_changes_any_label(pred_rel: list[dict], gold_rel: list[dict], mapping: dict[str, str]) -> Score:
    gold_set = {frozenset((r["a"], r["b"])) for r in gold_rel if r["relation"] in CHANGE}
    matched, seen = 0, set()
    predicted = [r for r in pred_rel if r["relation"] in CHANGE]
    for r in predicted:
        if r["a"] in mapping and r["b"] in mapping:
            key = frozenset((mapping[r["a"]], mapping[r["b"]]))
            if key in gold_set and key not in seen:
                matched += 1
                seen.add(key)
    return Score(matched, len(predicted), len(gold_set))


def change_ceiling(gold_rel: list[dict], mapping: dict[str, str]) -> dict:
    """How many gold change pairs had both their claims extracted: what a perfect checker could find."""
    found = set(mapping.values())
    pairs = [r for r in gold_rel if r["relation"] in CHANGE]
    both = sum(1 for r in pairs if r["a"] in found and r["b"] in found)
    return {"both_claims_extracted": both, "gold": len(pairs), "share": round(both / len(pairs), 3) if pairs else 0.0}


def subset(data: dict, keep_article) -> dict:
    """The claims of some articles and the relations among them."""
    claims = [c for c in data["claims"] if keep_article(c["article"])]
    ids = {c["id"] for c in claims}
    relations = [r for r in data.get("relations", []) if r["a"] in ids and r["b"] in ids]
    return {"claims": claims, "relations": relations}


def evaluate_by(pred: dict, gold: dict, bodies: dict[str, str], group_of) -> dict:
    """`evaluate` for each group of articles (the dev set's ranges: group_of('204') == '2xx')."""
    groups = sorted({group_of(c["article"]) for c in gold["claims"]})
    return {g: evaluate(subset(pred, lambda a, g=g: group_of(a) == g), subset(gold, lambda a, g=g: group_of(a) == g), bodies)
            for g in groups}


def error_report(pred: dict, gold: dict, bodies: dict[str, str]) -> dict:
    """The misses and false alarms behind the figures, with quotes, for reading rather than counting."""
    mapping = match_claims(pred["claims"], gold["claims"], bodies)
    back = {g: p for p, g in mapping.items()}
    gold_by_id = {g["id"]: g for g in gold["claims"]}
    pred_by_id = {p["id"]: p for p in pred["claims"]}

    def brief(c):
        return f"{c['article']} {c['speaker']}: {c['quote'][:160]}"

    gold_changes = {frozenset((r["a"], r["b"])): r for r in gold.get("relations", []) if r["relation"] in CHANGE}
    found = set()
    false_alarms = []
    for r in pred.get("relations", []):
        if r["relation"] not in CHANGE:
            continue
        key = frozenset((mapping.get(r["a"]), mapping.get(r["b"])))
        if key in gold_changes:
            found.add(key)
        else:
            false_alarms.append({"relation": r["relation"], "a": brief(pred_by_id[r["a"]]), "b": brief(pred_by_id[r["b"]]),
                                 "why": r.get("why", "")})
    missed = []
    for key, r in gold_changes.items():
        if key in found:
            continue
        extracted = r["a"] in back and r["b"] in back
        missed.append({"relation": r["relation"], "both_extracted": extracted, "a": brief(gold_by_id[r["a"]]),
                       "b": brief(gold_by_id[r["b"]]), "why": r.get("why", "")})
    return {
        "claims_missed": [brief(g) for g in gold["claims"] if g["id"] not in back],
        "claims_unmatched": [brief(p) for p in pred["claims"] if p["id"] not in mapping],
        "changes_missed": missed,
        "false_alarms": false_alarms,
    }


def evaluate(pred: dict, gold: dict, bodies: dict[str, str]) -> dict:
    mapping = match_claims(pred["claims"], gold["claims"], bodies)
    claims = Score(len(mapping), len(pred["claims"]), len(gold["claims"]))
    gold_by_id = {g["id"]: g for g in gold["claims"]}
    pred_by_id = {p["id"]: p for p in pred["claims"]}
    fields = {}
    for field in ("speaker_role", "date", "kind"):
        agree = sum(1 for pid, gid in mapping.items() if pred_by_id[pid].get(field) == gold_by_id[gid].get(field))
        fields[field] = round(agree / len(mapping), 3) if mapping else 0.0
    verbatim = sum(1 for p in pred["claims"] if bodies.get(p["article"]) is not None and p["quote"] in bodies[p["article"]])
    changes = score_relations(pred.get("relations", []), gold.get("relations", []), mapping, CHANGE)
    every = score_relations(pred.get("relations", []), gold.get("relations", []), mapping,
                            ("consistent",) + CHANGE)
    per_label = {
        label: score_relations(pred.get("relations", []), gold.get("relations", []), mapping, (label,)).as_dict()
        for label in ("consistent",) + CHANGE
    }
    return {
        "claims": claims.as_dict(),
        "changes_any_label": score_changes_any_label(pred.get("relations", []), gold.get("relations", []), mapping).as_dict(),
        "change_ceiling": change_ceiling(gold.get("relations", []), mapping),
        "field_agreement_on_matched": fields,
        "quotes_verbatim": f"{verbatim}/{len(pred['claims'])}",
        "change_relations": changes.as_dict(),
        "all_relations": every.as_dict(),
        "relations_by_label": per_label,
    }
