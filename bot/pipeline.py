"""What the bot asks of the core: search, findings, and extract+check of pasted text.

No Slack objects in or out: plain dicts, so listeners stay thin and this stays testable.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from claims import model_store
from claims.articles import parse_article_text
from claims.checker import Checker
from claims.config import Settings
from claims.extract import Extractor
from claims.findings import findings_for_claim, list_findings
from claims.ingest import ingest_article
from claims.ledger import Ledger
from claims.query import parse


class BotPipeline:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._extractor = None

    def ledger(self) -> Ledger:
        return Ledger(self.settings.db_path)

    def make_backend(self):
        from claims.llm import HttpBackend, LlamaCppBackend

        if self.settings.llm_url:
            return HttpBackend(self.settings.llm_url, self.settings.llm_api_key)
        path = model_store.resolve_model_path(self.settings.cache_dir, self.settings.model_name, self.settings.model_path)
        return LlamaCppBackend(path, self.settings.n_threads, self.settings.n_threads_batch,
                               chosen=self.settings.model_path is not None)

    def search(self, text: str, limit: int = 10):
        query = parse(text)
        if query.problems or query.empty:
            return query, [], {}
        ledger = self.ledger()
        ranked = ledger.search(query.words, speaker=query.speaker, since=query.since, until=query.until,
                               kind=query.kind, limit=limit * 5)
        claims = diversify(ranked, limit)
        findings = {c["id"]: findings_for_claim(ledger, c["id"]) for c in claims}
        return query, claims, findings

    def timeline(self, speaker: str, subject: str = "", limit: int = 15) -> list[dict]:
        rows = self.ledger().search(subject, speaker=speaker, limit=200)
        rows.sort(key=lambda r: (r["date"], r["id"]))
        return rows[-limit:]

    def shifts(self, speaker: str | None = None) -> list[dict]:
        return list_findings(self.ledger(), speaker=speaker or None, limit=40)

    def recent_findings(self) -> list[dict]:
        rows = list_findings(self.ledger(), limit=10_000)
        return sorted(rows, key=lambda f: f["id"], reverse=True)[:12]

    def check_text(self, backend, text: str, today: dt.date | None = None) -> tuple[str, list[dict], list[dict]]:
        """Ingest pasted text as an article dated today (or by its own header), then check it."""
        today = today or dt.date.today()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        article = parse_article_text(text, f"slack-{digest}", "pasted text", default_date=today)
        ledger = self.ledger()
        if self._extractor is None or self._extractor.backend is not backend:
            self._extractor = Extractor(backend, self.settings.prompts_dir)
        if ledger.has_article(article):
            row = ledger.db.execute("select id from articles where content_hash = ?", [article.content_hash]).fetchone()
            claims = ledger.claims("c.article_id = ?", [row[0]])
            return "Already in the ledger", claims, self._changes(ledger, claims)
        article_id, _found, _rej = ingest_article(ledger, self._extractor, article)
        claims = ledger.claims("c.article_id = ?", [article_id])
        Checker(ledger, backend, self.settings.prompts_dir).check(claims)
        return "Checked", ledger.claims("c.article_id = ?", [article_id]), self._changes(ledger, claims)

    @staticmethod
    def _changes(ledger: Ledger, claims: list[dict]) -> list[dict]:
        seen, out = set(), []
        for claim in claims:
            for f in findings_for_claim(ledger, claim["id"]):
                if f["relation"] != "consistent" and f["id"] not in seen:
                    seen.add(f["id"])
                    out.append(f)
        return out


def diversify(ranked: list[dict], limit: int, per_speaker: int = 3) -> list[dict]:
    """Best matches first, but no speaker fills the answer: a question like "Putin negotiations"
    should show every government's voice, not ten Lammy quotes."""
    chosen, counts, rest = [], {}, []
    for claim in ranked:
        if counts.get(claim["speaker"], 0) < per_speaker:
            chosen.append(claim)
            counts[claim["speaker"]] = counts.get(claim["speaker"], 0) + 1
        else:
            rest.append(claim)
    return (chosen + rest)[:limit]
