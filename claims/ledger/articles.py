"""Articles, speakers and claims as they are written: one transaction per article, so a crash
mid-backfill leaves no half-ingested article, and a re-run skips what is already stored (same
text), so a killed backfill resumes where it stopped."""

from __future__ import annotations

import json
from typing import Iterable

from .. import actors
from ..articles import Article
from .base import now
from .tokens import bucket_tokens, claim_terms, claim_topics


class ArticleStore:
    def has_article(self, article: Article) -> bool:
        return self.stored_copy(article) is not None

    def stored_copy(self, article: Article) -> str | None:
        """The id of the stored article with the same text (read as words), if any."""
        row = self.db.execute("select id from articles where content_hash = ?", [article.content_hash]).fetchone()
        return row[0] if row else None

    def free_article_id(self, article: Article) -> str:
        row = self.db.execute("select content_hash from articles where id = ?", [article.id]).fetchone()
        if row is None:
            return article.id
        return f"{article.id}-{article.content_hash[:8]}"

    def known_people(self) -> dict[str, str | None]:
        return {r["name"]: r["role"] for r in self.db.query("select name, role from speakers where kind = 'person'")}

    def speaker_id(self, name: str, role: str | None, article_id: str, alias: str | None = None,
                   kind: str | None = None) -> int:
        """The speaker's row, made on first sight. `kind` is what attribution found (person,
        institution, government, org); only people are offered to later articles as known names."""
        inst = actors.institution_by_name(name)
        kind = "institution" if inst else (kind or "person")
        government = actors.government_of(name, role)
        row = self.db.execute("select id from speakers where name = ?", [name]).fetchone()
        if row:
            sid = row[0]
            if role:
                self.db.execute("update speakers set role = ?, government = coalesce(government, ?) where id = ?", [role, government, sid])
        else:
            sid = self.db["speakers"].insert({"name": name, "kind": kind, "government": government, "role": role}).last_pk
        for surface in {name, (alias or "").strip()} - {""}:
            self.db["aliases"].insert({"alias": surface, "speaker_id": sid, "article_id": article_id}, ignore=True)
        return sid

    def store_article(self, article: Article, claims: list[dict], rejections: Iterable, model: str, prompt_version: str) -> str | None:
        """Write an article and its claims atomically; None if the same text is already stored."""
        with self.transaction():
            if self.has_article(article):
                return None
            article_id = self.free_article_id(article)
            self.db["articles"].insert({
                "id": article_id, "content_hash": article.content_hash, "published": article.published.isoformat(),
                "title": article.title, "source": article.source, "url": article.url, "path": article.path,
                "body": article.body, "ingested_at": now(), "model": model, "prompt_version": prompt_version,
            })
            for claim in claims:
                sid = self.speaker_id(claim["speaker"], claim["speaker_role"], article_id, claim.get("_alias"),
                                      claim.get("_speaker_kind"))
                government = actors.government_of(claim["speaker"], claim["speaker_role"])
                cid = self.db["claims"].insert({
                    "article_id": article_id, "speaker_id": sid, "speaker": claim["speaker"],
                    "speaker_role": claim["speaker_role"],
                    "government": government,
                    "date": claim["date"], "kind": claim["kind"], "subject": claim["subject"], "text": claim["text"],
                    "quote": claim["quote"], "quote_start": claim.get("_quote_start"), "quote_end": claim.get("_quote_end"),
                    "kind_confidence": claim.get("_kind_confidence"), "model": model, "prompt_version": prompt_version,
                    "direct": int(bool(claim.get("_direct"))) if "_direct" in claim else None,
                    "bucket": bucket_tokens(sid, government),
                    "topics": claim_topics(claim["quote"], claim["subject"]),
                    "terms": claim_terms(claim["quote"], claim["speaker"]),
                    "created_at": now(), "checked_at": None,
                }).last_pk
                equivalents = claim.get("_equivalents") or [None] * len(claim["figures"])
                for fig, eq in zip(claim["figures"], equivalents):
                    self.db["figures"].insert({
                        "claim_id": cid, "amount": fig["amount"], "currency": fig["currency"], "what": fig["what"],
                        "equivalent_amount": eq[0] if eq else None, "equivalent_currency": eq[1] if eq else None,
                    })
            for rej in rejections:
                self.log_rejection(article_id, rej.stage, rej.reason, rej.payload)
            return article_id

    def log_rejection(self, article_id: str | None, stage: str, reason: str, payload) -> None:
        self.db["rejections"].insert({
            "article_id": article_id, "stage": stage, "reason": reason,
            "payload": json.dumps(payload, default=str)[:4000], "created_at": now(),
        })

    def article_bodies(self) -> dict[str, str]:
        return {row["id"]: row["body"] for row in self.db.query("select id, body from articles")}
