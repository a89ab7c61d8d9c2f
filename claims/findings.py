"""Reviewing findings and showing them as text: what the CLI and the bot share."""

from __future__ import annotations

import textwrap

from .errors import ClaimsError
from .ledger import REVIEW_STATUSES, Ledger


def review_finding(ledger: Ledger, finding_id: int, status: str, reviewer: str) -> dict:
    """Confirm, dismiss or reopen a finding; the CLI and the bot's buttons both come here."""
    if status not in REVIEW_STATUSES:
        raise ClaimsError(f"unknown review status {status!r}")
    finding = ledger.review_finding(finding_id, status, reviewer)
    if finding is None:
        raise ClaimsError(f"no finding #{finding_id}")
    return finding


def source_of(row: dict, side: str) -> str:
    parts = [f"article {row[side + '_article']}"]
    if row.get(side + "_source"):
        parts.append(row[side + "_source"])
    if row.get(side + "_url"):
        parts.append(row[side + "_url"])
    return ", ".join(parts)


def format_finding(row: dict, width: int = 100) -> str:
    label = row["relation"].replace("_", " ").upper()
    head = f"#{row['id']}  {label}  (confidence {row['confidence']:.2f}, {row['method']}, {row['status']})"
    lines = [head, textwrap.fill(row["explanation"], width=width, initial_indent="  ", subsequent_indent="  ")]
    for side in ("a", "b"):
        role = f", {row[side + '_role']}" if row.get(side + "_role") else ""
        lines.append(f"  {row[side + '_date']}  {row[side + '_speaker']}{role} — {source_of(row, side)}")
        lines.append(textwrap.fill(f"“{row[side + '_quote']}”", width=width, initial_indent="      ", subsequent_indent="      "))
    return "\n".join(lines)
