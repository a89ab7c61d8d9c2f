"""What the bot asks of the core: search, findings, and extract+check of pasted text.

No Slack objects in or out: plain dicts, so listeners stay thin and this stays testable.
"""

from __future__ import annotations

import hashlib
import re

from claims.articles import Article, parse_article_text, parse_date
from claims.checker import Checker
from claims.config import Settings
from claims.errors import BadInput
from claims.extract import Extractor
from claims.ingest import ingest_article
from claims.ledger import Ledger
from claims.query import parse

LEADING_DATE = re.compile(r"\A\s*(\d{4}-\d{2}-\d{2})\s+")


class BotPipeline:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._extractor = None

    def ledger(self) -> Ledger:
        return Ledger(self.settings.db_path)

    def make_backend(self):
        from claims.llm import make_backend

        return make_backend(self.settings)

    def search(self, text: str, limit: int = 10):
        query = parse(text)
        if query.problems or query.empty:
            return query, [], {}
        ledger = self.ledger()
        ranked = ledger.search(query.words, speaker=query.speaker, since=query.since, until=query.until,
                               kind=query.kind, limit=limit * 5)
        claims = diversify(ranked, limit)
        findings = {c["id"]: ledger.findings_for_claim(c["id"]) for c in claims}
        return query, claims, findings

    def timeline(self, speaker: str, subject: str = "", limit: int = 15) -> list[dict]:
        rows = self.ledger().search(subject, speaker=speaker, limit=200)
        rows.sort(key=lambda r: (r["date"], r["id"]))
        return rows[-limit:]

    def shifts(self, speaker: str | None = None) -> list[dict]:
        return self.ledger().findings(speaker=speaker or None, limit=40)

    def recent_findings(self) -> list[dict]:
        rows = self.ledger().findings(limit=10_000)
        return sorted(rows, key=lambda f: f["id"], reverse=True)[:12]

    @staticmethod
    def pasted_article(text: str) -> Article:
        """Pasted text as an article, dated by a leading `YYYY-MM-DD` or its own `published:` line.
        Text without a date is refused, never filed as today's news: an archive piece pasted in
        May would otherwise "contradict" what its speaker said in March."""
        published = None
        match = LEADING_DATE.match(text)
        if match:
            published = parse_date(match.group(1), "the date before the text")
            text = text[match.end():]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        try:
            return parse_article_text(text, f"slack-{digest}", "pasted text", default_date=published)
        except BadInput as exc:
            if "no publication date" not in str(exc):
                raise
            raise BadInput("the text has no publication date: start it with the date "
                           "(`/claims check 2025-05-12 <text>`) or a `published: YYYY-MM-DD` line") from None

    def check_text(self, backend, text: str) -> tuple[str, list[dict], list[dict]]:
        """Ingest pasted text (see `pasted_article`), then check it; a copy of a stored article
        (the same words, however reflowed) is answered from the ledger, not stored again."""
        article = self.pasted_article(text)
        ledger = self.ledger()
        if self._extractor is None or self._extractor.backend is not backend:
            self._extractor = Extractor(backend, self.settings.prompts_dir)
        stored = ledger.stored_copy(article)
        if stored:
            claims = ledger.claims_in_article(stored)
            return "Already in the ledger", claims, self._changes(ledger, claims)
        article_id, _found, _rej = ingest_article(ledger, self._extractor, article)
        claims = ledger.claims_in_article(article_id)
        Checker(ledger, backend, self.settings.prompts_dir).check(claims)
        return "Checked", ledger.claims_in_article(article_id), self._changes(ledger, claims)

    @staticmethod
    def _changes(ledger: Ledger, claims: list[dict]) -> list[dict]:
        seen, out = set(), []
        for claim in claims:
            for f in ledger.findings_for_claim(claim["id"]):
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
