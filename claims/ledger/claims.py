"""Reading claims: one claim, an article's, the checker's work list and its candidates."""

from __future__ import annotations

from .base import Where, now, placeholders

CLAIM_COLUMNS = """
select c.*, a.published as article_published, a.title as article_title, a.source as article_source,
       a.url as article_url
"""
CLAIM_SELECT = CLAIM_COLUMNS + "from claims c join articles a on a.id = c.article_id\n"
TIME_ORDER = "c.date, c.article_id, c.quote_start"


class ClaimStore:
    def claim(self, claim_id: int) -> dict | None:
        rows = self._claims("c.id = ?", [claim_id])
        return rows[0] if rows else None

    def claims(self) -> list[dict]:
        """Every claim, oldest first."""
        return self._claims("1", [])

    def claims_in_article(self, article_id: str) -> list[dict]:
        return self._claims("c.article_id = ?", [article_id])

    def claims_by_ids(self, ids: list[int]) -> list[dict]:
        return self._claims(f"c.id in ({placeholders(ids)})", list(ids)) if ids else []

    def claims_for_export(self) -> list[dict]:
        """Article by article, in the order they stand in the text."""
        return self._claims("1", [], order="c.article_id, c.quote_start, c.id")

    def unchecked_claims(self, since: str | None = None, everything: bool = False) -> list[dict]:
        """The checker's work list, oldest first; `everything` includes claims already checked."""
        where = Where()
        if not everything:
            where.add("c.checked_at is null")
        where.when(since, "c.date >= ?", since)
        return self._claims(where.sql(), where.params)

    def mark_checked(self, claim_id: int) -> None:
        self.db.execute("update claims set checked_at = ? where id = ?", [now(), claim_id])

    def checked_claims_with_roles(self, speaker_id: int, roles: list[str], start: str, end: str,
                                  other_than_article: str) -> list[dict]:
        """A person's checked claims, under any of `roles`, dated within [start, end], in other
        articles: the rows a role comparison needs, picked by index."""
        return self._claims(
            f"c.speaker_id = ? and c.speaker_role in ({placeholders(roles)}) and c.date between ? and ?"
            " and c.article_id != ? and c.checked_at is not null",
            [speaker_id, *roles, start, end, other_than_article],
        )

    def speaker_claims_in_article(self, speaker_id: int, article_id: str) -> list[dict]:
        """A speaker's claims in one article, in the order they stand in the text."""
        return self._claims("c.speaker_id = ? and c.article_id = ?", [speaker_id, article_id], order="c.quote_start")

    def nearest_in_group(self, speaker_id: int, government: str | None, date: str, claim_id: int, limit: int,
                         later: bool) -> list[int]:
        """Ids of the claims nearest in time by the same speaker or group: up to `limit` before
        (date, id) and, when `later`, up to `limit` after among those already checked. Each side
        is an index range scan (speaker_id, date) or (government, date), so the cost does not grow
        with the ledger."""
        before = "(date < ? or (date = ? and id < ?))"
        after = "(date > ? or (date = ? and id > ?)) and checked_at is not null"
        parts, params = [], []
        for side, direction in [(before, "desc")] + ([(after, "asc")] if later else []):
            for column, value in (("speaker_id", speaker_id), ("government", government)):
                if value is None:
                    continue
                parts.append(f"select id from (select id from claims where {column} = ? and {side} "
                             f"order by date {direction}, id {direction} limit ?)")
                params += [value, date, date, claim_id, limit]
        if not parts:
            return []
        return [r[0] for r in self.db.execute(" union ".join(parts), params).fetchall()]

    def claim_rows(self, ids: list[int], exclude_article: str | None = None) -> list[dict]:
        """Bare claim rows (no article, no figures) for ranking many candidates cheaply."""
        if not ids:
            return []
        sql = f"select id, article_id, speaker, quote, terms, date from claims where id in ({placeholders(ids)})"
        return [r for r in self.db.query(sql, ids) if r["article_id"] != exclude_article]

    def _claims(self, where: str, params: list, order: str = TIME_ORDER) -> list[dict]:
        return self._with_figures(list(self.db.query(f"{CLAIM_SELECT} where {where} order by {order}", params)))

    def _with_figures(self, rows: list[dict]) -> list[dict]:
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        figs: dict[int, list] = {}
        for f in self.db.query(f"select * from figures where claim_id in ({placeholders(ids)}) order by id", ids):
            figs.setdefault(f["claim_id"], []).append(f)
        for r in rows:
            r["figures"] = figs.get(r["id"], [])
        return rows
