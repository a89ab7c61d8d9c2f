"""Roles as facts: 'former X' and 'X' given to one person within months cannot both hold."""

from __future__ import annotations

import datetime as dt

from .judgment import Judgment, ordered
from .ledger import Ledger

# Offices do not flip within months: 'former X' within this many days of 'X' is a contradiction.
ROLE_WINDOW_DAYS = 183


def role_conflicts(ledger: Ledger, claim: dict) -> list[tuple[dict, dict, Judgment]]:
    """One contradiction per other article that gives the claim's speaker the incompatible role
    and has no role finding for them yet: (earlier claim, later claim, judgment)."""
    role = claim["speaker_role"]
    if not role:
        return []
    # Only 'X' against 'former X' within the window can conflict: the ledger picks those rows by
    # index instead of loading every claim the person ever made.
    day = dt.date.fromisoformat(claim["date"])
    window = [(day + dt.timedelta(days=d)).isoformat() for d in (-ROLE_WINDOW_DAYS, ROLE_WINDOW_DAYS)]
    bare = role.removeprefix("former ")
    others = ledger.checked_claims_with_roles(claim["speaker_id"], ["former " + bare, bare], *window,
                                              other_than_article=claim["article_id"])
    by_article: dict[str, list[dict]] = {}
    for other in others:
        if roles_conflict(other["speaker_role"], role, other["date"], claim["date"]):
            by_article.setdefault(other["article_id"], []).append(other)
    found = []
    for article_id, conflicting in by_article.items():
        if ledger.has_role_finding(article_id, claim["article_id"], claim["speaker_id"]):
            continue
        mine = ledger.speaker_claims_in_article(claim["speaker_id"], claim["article_id"])
        # The person's lead statement in each article stands for the article's description of them.
        first, second = ordered(min(conflicting, key=lambda c: c["quote_start"] or 0), mine[0])
        text = (f"{first['article_id']} ({first['date']}) calls {first['speaker']} \"{first['speaker_role']}\" but "
                f"{second['article_id']} ({second['date']}) calls them \"{second['speaker_role']}\"; both cannot be right "
                f"within {abs(days_between(first['date'], second['date']))} days.")
        found.append((first, second, Judgment("contradiction", text, 0.95, "roles")))
    return found


def days_between(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def roles_conflict(role_a: str, role_b: str, date_a: str, date_b: str) -> bool:
    """'former US President' and 'US President' for one person within months cannot both hold."""
    if abs(days_between(date_a, date_b)) > ROLE_WINDOW_DAYS:
        return False
    bare_a = role_a.removeprefix("former ")
    bare_b = role_b.removeprefix("former ")
    return bare_a == bare_b and role_a.startswith("former ") != role_b.startswith("former ")
