"""The ledger in the gold format of `seeds/README.md`, so any ledger can be scored the same way."""

from __future__ import annotations

from .ledger import Ledger


def export(ledger: Ledger, include_relations: bool = True) -> dict:
    rows = ledger.claims_for_export()
    ids = {row["id"]: f"c{n}" for n, row in enumerate(rows, start=1)}
    claims = [
        {
            "id": ids[row["id"]],
            "article": row["article_id"],
            "speaker": row["speaker"],
            "speaker_role": row["speaker_role"],
            "date": row["date"],
            "kind": row["kind"],
            "subject": row["subject"],
            "text": row["text"],
            "quote": row["quote"],
            "figures": [
                {"amount": _number(f["amount"]), "currency": f["currency"], "what": f["what"]}
                for f in row["figures"]
            ],
        }
        for row in rows
    ]
    relations = []
    if include_relations:
        for f in ledger.relations_for_export():
            if f["claim_a"] not in ids or f["claim_b"] not in ids:
                continue
            a, b = f["claim_a"], f["claim_b"]
            if f["date_b"] < f["date_a"]:
                a, b = b, a
            relations.append({"a": ids[a], "b": ids[b], "relation": f["relation"], "why": f["explanation"]})
    return {"claims": claims, "relations": relations}


def _number(value: float):
    return int(value) if float(value).is_integer() else value
