"""Findings (what the checker concluded about a pair of claims), their review, and delivery marks."""

from __future__ import annotations

from .base import Where, now

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
CHANGES = "f.relation in ('shift', 'contradiction', 'figure_change')"
REVIEW_STATUSES = ("confirmed", "dismissed", "open")


class FindingStore:
    # -- reading ---------------------------------------------------------------------------

    def findings(self, speaker: str | None = None, since: str | None = None, relation: str | None = None,
                 status: str | None = None, limit: int = 500) -> list[dict]:
        """Findings with both claims, by the later claim's date; all changes unless `relation`."""
        where = Where().add("f.relation = ?", relation) if relation else Where().add(CHANGES)
        where.when(status, "f.status = ?", status)
        where.when(speaker, "(a.speaker like ? or b.speaker like ?)", f"%{speaker}%", f"%{speaker}%")
        where.when(since, "b.date >= ?", since)
        sql = f"{FINDING_SELECT} where {where.sql()} order by b.date, f.id limit ?"
        return list(self.db.query(sql, where.params + [limit]))

    def finding(self, finding_id: int) -> dict | None:
        rows = list(self.db.query(f"{FINDING_SELECT} where f.id = ?", [finding_id]))
        return rows[0] if rows else None

    def findings_for_claim(self, claim_id: int) -> list[dict]:
        return list(self.db.query(f"{FINDING_SELECT} where f.claim_a = ? or f.claim_b = ? order by f.id",
                                  [claim_id, claim_id]))

    def finding_count(self) -> int:
        return self.db.execute("select count(*) from findings").fetchone()[0]

    def relations_for_export(self) -> list[dict]:
        """Every finding not dismissed, with both claims' dates, in the order they were made."""
        return list(self.db.query(
            "select f.*, a.date as date_a, b.date as date_b from findings f "
            "join claims a on a.id = f.claim_a join claims b on b.id = f.claim_b "
            "where f.status != 'dismissed' order by f.id"
        ))

    # -- writing ---------------------------------------------------------------------------

    def record_finding(self, claim_a: int, claim_b: int, values: dict) -> bool:
        """Store a finding unless the pair already has one (either way round); a dismissed finding
        is never renewed. Look and write under one write lock: two checkers on one ledger (two
        backfills) may reach the same pair at the same moment."""
        with self.transaction():
            exists = self.db.execute(
                "select 1 from findings where (claim_a = ? and claim_b = ?) or (claim_a = ? and claim_b = ?)",
                [claim_a, claim_b, claim_b, claim_a],
            ).fetchone()
            if exists:
                return False
            self.db["findings"].insert({"claim_a": claim_a, "claim_b": claim_b, **values,
                                        "created_at": now(), "status": "open"})
        return True

    def replace_finding(self, claim_a: int, claim_b: int, values: dict) -> bool:
        """Put this finding in place of an open one on the pair; one someone has reviewed stays."""
        with self.transaction():
            row = self.db.execute("select id, status from findings where claim_a = ? and claim_b = ?",
                                  [claim_a, claim_b]).fetchone()
            if row and row[1] != "open":
                return False
            if row:
                self.db.execute("delete from findings where id = ?", [row[0]])
            return self.record_finding(claim_a, claim_b, values)

    def has_role_finding(self, article_a: str, article_b: str, speaker_id: int) -> bool:
        """Whether a role contradiction about this person already joins these two articles."""
        return bool(self.db.execute(
            """select 1 from findings f join claims x on x.id = f.claim_a join claims y on y.id = f.claim_b
               where f.method = 'roles' and x.speaker_id = ? and y.speaker_id = ?
                 and ((x.article_id = ? and y.article_id = ?) or (x.article_id = ? and y.article_id = ?))""",
            [speaker_id, speaker_id, article_a, article_b, article_b, article_a],
        ).fetchone())

    def log_check_error(self, claim_a: int, claim_b: int, reason: str) -> None:
        self.db["check_errors"].insert({"claim_a": claim_a, "claim_b": claim_b, "reason": reason, "output": None,
                                        "created_at": now()})

    def review_finding(self, finding_id: int, status: str, reviewer: str) -> dict | None:
        """Set a finding's review status; None when there is no such finding."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"unknown review status {status!r}")
        if self.finding(finding_id) is None:
            return None
        self.db.execute("update findings set status = ?, reviewed_by = ?, reviewed_at = ? where id = ?",
                        [status, reviewer, now(), finding_id])
        return self.finding(finding_id)

    # -- deliveries to readers (at most once per finding) -------------------------------------

    def delivered_finding_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("select finding_id from deliveries").fetchall()}

    def reserve_delivery(self, finding_ids: list[int], destination: str) -> bool:
        """Mark findings as being delivered, all or none; False when another delivery holds one."""
        try:
            with self.transaction():
                for fid in finding_ids:
                    self.db.execute("insert into deliveries (finding_id, destination) values (?, ?)", [fid, destination])
            return True
        except Exception:  # noqa: BLE001 - unique key taken: someone else delivers it
            return False

    def finish_delivery(self, finding_ids: list[int], receipt: str | None) -> None:
        """Record the receipt of a delivery that went through, or release the reservation of one
        that did not, so the next round tries again."""
        with self.transaction():
            for fid in finding_ids:
                if receipt:
                    self.db.execute("update deliveries set receipt = ?, delivered_at = ? where finding_id = ?",
                                    [receipt, now(), fid])
                else:
                    self.db.execute("delete from deliveries where finding_id = ? and receipt is null", [fid])

    def adopt_deliveries(self, table: str, columns: tuple[str, str, str, str]) -> int:
        """Copy delivery marks kept in an older table of a front end (finding id, destination,
        receipt, time) into `deliveries` and drop that table, so nothing delivered is sent again."""
        if table not in self.db.table_names():
            return 0
        fid, dest, receipt, when = (f'"{c}"' for c in columns)
        with self.transaction():
            moved = self.db.execute(
                f'insert or ignore into deliveries (finding_id, destination, receipt, delivered_at) '
                f'select {fid}, {dest}, {receipt}, {when} from "{table}" where {receipt} is not null').rowcount
            self.db.execute(f'drop table "{table}"')
        return moved
