"""Which earlier claims a new claim is compared with: the same speaker or group, nearest in time,
ranked by shared topic terms and then by P(linked) from the fitted signals.

The group's claims nearest in time come by index (at most `WINDOW` before and after), so the cost
per new claim stays flat however large the ledger grows.
"""

from __future__ import annotations

from . import change_signals
from .judgment import ordered
from .ledger import Ledger

WINDOW = 80  # a group's claims read per new claim, each side in time
PREFILTER = 12  # of those, the ones with most topic terms in common get the full signals


def find_candidates(ledger: Ledger, claim: dict, weights: dict, limit: int) -> tuple[list[dict], dict[tuple, dict]]:
    """Claims from other articles by the same speaker or group, most likely linked first, and the
    signals computed for each pair (keyed by the ordered pair's ids, read again by the judgment).

    Earlier claims and, on a claim's first check, later ones already checked, so an old article
    backfilled after newer ones is still compared with them (pending claims are checked oldest
    first, so a pair is met once; a re-check sees the same candidates as the first)."""
    ids = ledger.nearest_in_group(claim["speaker_id"], claim["government"], claim["date"], claim["id"],
                                  WINDOW, later=claim["checked_at"] is None)
    rows = ledger.claim_rows(ids, exclude_article=claim["article_id"])
    pool = sorted(rows, key=lambda other: -change_signals.overlap(other, claim))[:PREFILTER]
    pool = ledger.claims_by_ids([r["id"] for r in pool])
    signals, scored = {}, []
    for other in pool:
        a, b = ordered(other, claim)
        values = signals[(a["id"], b["id"])] = change_signals.signals(a, b)
        scored.append((change_signals.combine(values, weights["related"]), other))
    scored.sort(key=lambda t: -t[0])
    chosen = [other for p_link, other in scored[:limit] if p_link >= weights["link_threshold"] / 2]
    return chosen, signals
