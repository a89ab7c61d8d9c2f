"""Full-text search over claims (FTS5, bm25), for `claims search`, `/claims` and timelines."""

from __future__ import annotations

import re

from .base import Where
from .claims import CLAIM_COLUMNS, CLAIM_SELECT


class SearchStore:
    def search(self, query: str, speaker: str | None = None, since: str | None = None, until: str | None = None,
               kind: str | None = None, limit: int = 20) -> list[dict]:
        """Ranked full-text search; plain words are matched as terms, never as FTS syntax.

        One pass over the FTS index: bm25 is read once per hit in the same query that filters and
        orders (a correlated bm25 per row opened a new FTS cursor each time and grew with the square
        of the ledger). Without words, the newest claims that pass the filters, by index.
        """
        terms = fts_terms(query)
        where = Where().when(since, "c.date >= ?", since).when(until, "c.date <= ?", until).when(kind, "c.kind = ?", kind)
        like = f"%{speaker}%" if speaker else None
        if terms:
            rows = self._ranked(terms, where, limit, like)
        else:
            if like:
                where.add(f"c.speaker_id in ({SPEAKER_IDS})", like, like)
            sql = f"{CLAIM_SELECT} where {where.sql()} order by c.date desc, c.id desc limit ?"
            rows = self.db.query(sql, where.params + [limit])
        return self._with_figures(list(rows))

    def _ranked(self, terms: str, where: Where, limit: int, speaker_like: str | None) -> list[dict]:
        """bm25 costs one computation per hit, and a common word hits tens of thousands of claims
        in a large ledger (~70 ms per 25k). So a speaker filter narrows the hits inside FTS5 (the
        speakers' bucket tokens), only the newest RANK_WINDOW hits are ranked (for a word that
        common, recent claims first is what a newsroom wants), the other filters apply to the best
        of those, and only when too few pass is every hit ranked."""
        filters = "".join(f" and {w}" for w in where.parts)
        if speaker_like:
            # The speakers' bucket tokens join the FTS query: FTS5 intersects posting lists.
            ids = [r[0] for r in self.db.execute(f"{SPEAKER_IDS} limit 64", [speaker_like, speaker_like]).fetchall()]
            if not ids:
                return []
            terms = f"({terms}) AND ({' OR '.join(f'bucket:spk{i}' for i in ids)})"
        cut = self.db.execute("select rowid from claims_fts where claims_fts match ? order by rowid desc limit 1 offset ?",
                              [terms, RANK_WINDOW - 1]).fetchone()
        tries = [(cut[0], max(limit * 20, 200))] if cut else []
        tries.append((None, None))
        rows: list[dict] = []
        for newest, inner in tries:
            hits = "select rowid, rank from claims_fts where claims_fts match ?" + (" and rowid >= ?" if newest else "")
            hits += " order by rank" + (f" limit {inner}" if inner else "")
            sql = (f"{CLAIM_COLUMNS} from ({hits}) h join claims c on c.id = h.rowid join articles a on a.id = c.article_id "
                   f"where 1{filters} order by h.rank, c.date desc limit ?")
            rows = list(self.db.query(sql, [terms] + ([newest] if newest else []) + where.params + [limit]))
            if len(rows) >= limit:
                break
        return rows


# Speakers a --speaker / speaker: filter names, by canonical name or any alias the ledger has seen.
SPEAKER_IDS = "select id from speakers where name like ? union select speaker_id from aliases where alias like ?"
RANK_WINDOW = 4000  # hits of one query ranked by bm25 at most, newest first (see Ledger._ranked)


def fts_terms(query: str) -> str:
    """Turn user text into a safe FTS5 query: each word a quoted term, any may match, bm25 ranks.

    Users type `Putin "negotiations` or `AND OR *`; quoting every word means no input can be an
    FTS syntax error, and bare operators are dropped. Any-term matching with bm25 ranking puts claims
    with every word first, and still finds a claim that names Putin but says "talks".
    """
    words = re.findall(r"[\w’']+", query.lower())
    words = [w.replace("’", "'").strip("'") for w in words]
    words = [w for w in words if w and w not in {"and", "or", "not", "near"}][:32]
    return " OR ".join(f'"{w}"' for w in words)
