"""Reading and reviewing findings: the queries and formatting the CLI and the bot share."""

from __future__ import annotations

import textwrap

from .errors import ClaimsError
from .ledger import Ledger, now

FINDING_SELECT = """
select f.*,
       a.speaker as a_speaker, a.speaker_role as a_role, a.date as a_date, a.quote as a_quote,
       a.article_id as a_article, aa.source as a_source, aa.url as a_url, aa.title as a_title,
       b.speaker as b_speaker, b.speaker_role as b_role, b.date as b_date, b.quote as b_quote,
       b.article_id as b_article, ba.source as b_source, ba.url as b_url, ba.title as b_title
from findings f
join claims a on a.id = f.claim_a join articles aa on aa.id = a.article_id
join claims b on b.id = f.claim_b join articles ba on ba.id = b.article_id
"""


def list_findings(ledger: Ledger, speaker: str | None = None, since: str | None = None,
                  relation: str | None = None, status: str | None = None, limit: int = 500) -> list[dict]:
    where, params = [], []
    if relation:
        where.append("f.relation = ?")
        params.append(relation)
    else:
        where.append("f.relation in ('shift', 'contradiction', 'figure_change')")
    if status:
        where.append("f.status = ?")
        params.append(status)
    if speaker:
        where.append("(a.speaker like ? or b.speaker like ?)")
        params += [f"%{speaker}%", f"%{speaker}%"]
    if since:
        where.append("b.date >= ?")
        params.append(since)
    sql = f"{FINDING_SELECT} where {' and '.join(where)} order by b.date, f.id limit ?"
    return list(ledger.db.query(sql, params + [limit]))


def get_finding(ledger: Ledger, finding_id: int) -> dict | None:
    rows = list(ledger.db.query(f"{FINDING_SELECT} where f.id = ?", [finding_id]))
    return rows[0] if rows else None


def findings_for_claim(ledger: Ledger, claim_id: int) -> list[dict]:
    return list(ledger.db.query(f"{FINDING_SELECT} where f.claim_a = ? or f.claim_b = ? order by f.id", [claim_id, claim_id]))


def review_finding(ledger: Ledger, finding_id: int, status: str, reviewer: str) -> dict:
    if status not in ("confirmed", "dismissed", "open"):
        raise ClaimsError(f"unknown review status {status!r}")
    if get_finding(ledger, finding_id) is None:
        raise ClaimsError(f"no finding #{finding_id}")
    ledger.db.execute(
        "update findings set status = ?, reviewed_by = ?, reviewed_at = ? where id = ?",
        [status, reviewer, now(), finding_id],
    )
    return get_finding(ledger, finding_id)


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
