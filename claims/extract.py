"""Article -> validated claims: code finds and attributes statements, the model labels them.

Division of labour, by measurement: code decides who spoke, where the quote starts and ends, when it
was said and which numbers it holds; the model answers two narrow questions per statement (its kind,
read from label log-probabilities, and a short subject phrase under a JSON-Schema grammar). Whatever
the model answers is validated; the claim as a whole is validated against `schemas/claim.json`, its
quote must stand verbatim in the body, and its date must parse and not follow publication.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field

from . import figures as figures_mod
from . import prompts, schemas
from .articles import Article
from .attribution import MAX_SENTENCES, Attributed, Attributor
from .keywords import content_words, subject_phrase
from .llm import Backend

log = logging.getLogger(__name__)

KINDS = ["position", "pledge", "figure", "prediction", "denial"]
# Cues in the reporter's frame or the quote that decide a kind more reliably than a small model;
# the model's calibrated vote can still overrule them when it is confident enough.
KIND_CUES = [
    ("denial", re.compile(r"\b(?:denied|denies|deny|dismissed (?:reports|claims|allegations|suggestions)|rejected (?:reports|claims|allegations|accusations))\b", re.I)),
    ("pledge", re.compile(r"\b(?:pledged|pledges|pledge to|vowed|vows|promised|promises|promising|committed to (?:send|provide|deliver|spend)|announced plans|(?:is|are) working to|will (?:send|provide|deliver|deploy|give|spend|ramp up|increase|impose|introduce|fund|supply))\b", re.I)),
    ("prediction", re.compile(r"\b(?:predicted|predicts|forecast|forecasts|expects|is likely to|will (?:fall|rise|collapse|end|win|lose|grow|shrink))\b", re.I)),
]
RULE_CONFIDENCE = 0.85
# News articles hold a few dozen attributed statements at most; past this an input is a dump or
# junk, and each statement costs a model call.
MAX_STATEMENTS = 200
# Three quotation marks in a row occur in no sentence anyone said, only in broken or hostile input.
QUOTE_MARK_RUN = re.compile(r"[\"“”„«»]\s*[\"“”„«»]\s*[\"“”„«»]")


@dataclass
class Rejection:
    stage: str
    reason: str
    payload: dict


@dataclass
class Extraction:
    claims: list[dict] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class Extractor:
    def __init__(self, backend: Backend, prompts_dir, calibration: float = 1.0, model_weight: float = 0.5,
                 model_subjects: bool = False):
        self.backend = backend
        self.prompt = prompts.load(prompts_dir, "claim")
        self.calibration = calibration
        self.model_weight = model_weight
        # Generating a subject costs ~1 s per claim on 2 cores (output tokens are ~5x dearer than
        # prompt tokens), which alone breaks the 6 articles/min target; off by default.
        self.model_subjects = model_subjects
        self._prior: dict[str, float] | None = None

    @property
    def prompt_version(self) -> str:
        return self.prompt.version

    # -- prompts ----------------------------------------------------------------------------

    def _messages(self, statement: str) -> list[dict]:
        messages = [{"role": "system", "content": self.prompt.system}]
        for ex in self.prompt.examples:
            messages += [
                {"role": "user", "content": f"Statement: {ex['statement']}\nKind?"},
                {"role": "assistant", "content": ex["kind"]},
                {"role": "user", "content": "Subject?"},
                {"role": "assistant", "content": json.dumps({"subject": ex["subject"]})},
            ]
        messages.append({"role": "user", "content": f"Statement: {statement}\nKind?"})
        return messages

    def _prior_logprobs(self) -> dict[str, float]:
        # The model's preference among labels with no content at all; subtracting it corrects a
        # small model's lean towards one label (contextual calibration).
        if self._prior is None:
            self._prior = self.backend.classify(self._messages("N/A"), KINDS)
        return self._prior

    def classify_kind(self, statement: str, has_figures: bool, frame: str = "") -> tuple[str, float]:
        """Rule prior from cues and figures, plus the model's calibrated log-probabilities."""
        logprobs = self.backend.classify(self._messages(statement), KINDS)
        prior = self._prior_logprobs()
        cue = rule_kind(frame or statement, has_figures)
        rule = {k: math.log(RULE_CONFIDENCE if k == cue else (1 - RULE_CONFIDENCE) / (len(KINDS) - 1)) for k in KINDS}
        scores = {
            k: rule[k] + self.model_weight * (logprobs[k] - self.calibration * prior[k]) for k in KINDS
        }
        if not has_figures:
            scores["figure"] = -math.inf  # a figure claim without a number is not one
        top = max(scores.values())
        z = sum(math.exp(v - top) for v in scores.values() if v > -math.inf)
        kind = max(scores, key=scores.get)
        return kind, 1.0 / z

    def subject(self, statement: str, kind: str, rejections: list[Rejection]) -> str:
        messages = self._messages(statement) + [
            {"role": "assistant", "content": kind},
            {"role": "user", "content": "Subject?"},
        ]
        schema = schemas.load("subject")
        for attempt in (1, 2):
            raw = self.backend.generate_json(messages, schema, max_tokens=32)
            try:
                answer = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems = [f"not JSON ({exc.msg})"]
            else:
                problems = schemas.errors("subject", answer)
            if not problems:
                return re.sub(r"\s+", " ", answer["subject"]).strip().lower()
            rejections.append(Rejection("subject", "; ".join(problems), {"attempt": attempt, "output": raw[:500]}))
            log.warning("subject answer rejected (attempt %d): %s", attempt, "; ".join(problems))
            messages = messages + [
                {"role": "assistant", "content": raw[:200]},
                {"role": "user", "content": 'Answer only with JSON like {"subject": "short topic"}. Subject?'},
            ]
        return subject_phrase(statement, "")

    # -- pipeline ---------------------------------------------------------------------------

    def extract(self, article: Article, known_people: dict[str, str | None] | None = None,
                pool: Executor | None = None) -> Extraction:
        """`pool`: label the article's statements concurrently (a model server with several slots);
        attribution and the order of the claims stay those of a sequential run."""
        result = Extraction()
        attributor = Attributor(article.body, article.published, known_people, article.title)
        statements = drop_restated_summaries(attributor.statements(), article.body)
        if attributor.truncated:
            result.rejections.append(Rejection("article", f"over {MAX_SENTENCES} sentences; the rest was not read",
                                               {"article": article.id}))
            log.warning("%s: over %d sentences, the rest not read", article.id, MAX_SENTENCES)
        statements = distinct(statements, article.body)
        if len(statements) > MAX_STATEMENTS:
            result.rejections.append(Rejection("article", f"{len(statements)} statements; the first {MAX_STATEMENTS} kept",
                                               {"article": article.id}))
            log.warning("%s: %d statements, only the first %d labelled", article.id, len(statements), MAX_STATEMENTS)
            statements = statements[:MAX_STATEMENTS]
        if pool and statements:
            self._prior_logprobs()  # asked once, before the workers would all ask it at the same time
        labelled = (pool.map if pool else map)(lambda st: self._labelled(article, st), statements)
        for claim, rejections in labelled:
            result.rejections.extend(rejections)
            if claim is None:
                continue
            problems = validate_claim(claim, article)
            if problems:
                result.rejections.append(Rejection("claim", "; ".join(problems), claim))
                log.warning("claim rejected in %s: %s", article.id, "; ".join(problems))
                continue
            result.claims.append(claim)
        return result

    def _labelled(self, article: Article, st: Attributed) -> tuple[dict | None, list[Rejection]]:
        rejections: list[Rejection] = []
        return self._claim(article, st, rejections), rejections

    def _claim(self, article: Article, st: Attributed, rejections: list[Rejection]) -> dict | None:
        quote = st.quote(article.body)
        sentence = article.body[st.sentence_start:st.sentence_end]
        found = figures_mod.extract(quote if st.direct else sentence)
        statement = f"{st.speaker} ({st.role or 'no role given'}): " + (f'"{quote}"' if st.direct else quote)
        kind, confidence = self.classify_kind(statement, bool(found), sentence)
        if self.model_subjects:
            subject = self.subject(statement, kind, rejections)
        else:
            subject = subject_phrase(quote, st.speaker)
        return {
            "speaker": st.speaker,
            "speaker_role": st.role,
            "date": st.date.isoformat(),
            "kind": kind,
            "subject": subject,
            "text": restate(st.speaker, quote, st.direct),
            "quote": quote,
            "figures": [f.as_gold() for f in found],
            # Ledger-only fields, not part of the exported gold format:
            "_quote_start": st.quote_start,
            "_quote_end": st.quote_end,
            "_kind_confidence": round(confidence, 3),
            "_equivalents": [f.equivalent for f in found],
            "_alias": st.alias,
            "_speaker_kind": st.kind,
            "_direct": st.direct,
        }


def restate(speaker: str, quote: str, direct: bool) -> str:
    name = speaker.split()[-1] if " " in speaker and not speaker.endswith(("government", "Street")) else speaker
    if direct:
        return f"{name} said: “{quote.strip()}”"
    return quote.strip().rstrip(".") + "."


# A paraphrase "restates" a quotation when it covers most of the quotation's content words.
SUMMARY_COVERAGE = 0.6


def drop_restated_summaries(statements: list[Attributed], body: str) -> list[Attributed]:
    """Drop a reporter's paraphrase when the same speaker's direct quotation in the article makes
    the same point ("the ministry sees no sign the port deal is close, Reyes said" before her quote
    "We see no sign that the port deal is close"): one assertion, one claim. A paraphrase
    that makes a different point covers little of the quotation and stays."""
    quotes = [(s.speaker, set(content_words(s.quote(body), stemmed=True))) for s in statements if s.direct]
    kept = []
    for st in statements:
        if not st.direct:
            words = set(content_words(st.quote(body), stemmed=True))
            if any(speaker == st.speaker and len(qw) >= 3 and len(words & qw) >= SUMMARY_COVERAGE * len(qw)
                   for speaker, qw in quotes):
                continue
        kept.append(st)
    return kept


def distinct(statements: list[Attributed], body: str) -> list[Attributed]:
    """The first of each (speaker, quote): an input that repeats a statement holds one claim."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for st in statements:
        key = (st.speaker, st.quote(body))
        if key not in seen:
            seen.add(key)
            kept.append(st)
    return kept


def rule_kind(text: str, has_figures: bool) -> str:
    if has_figures:
        return "figure"
    for kind, pattern in KIND_CUES:
        if pattern.search(text):
            return kind
    return "position"


def validate_claim(claim: dict, article: Article) -> list[str]:
    public = {k: v for k, v in claim.items() if not k.startswith("_")}
    problems = schemas.errors("claim", public)
    quote = claim.get("quote") or ""
    if quote and quote not in article.body:
        problems.append("quote is not a verbatim substring of the article body")
    if QUOTE_MARK_RUN.search(quote):
        problems.append("quote holds a run of quotation marks (broken input)")
    try:
        date = dt.date.fromisoformat(claim.get("date", ""))
        if date > article.published:
            problems.append(f"date {date} is after publication ({article.published})")
    except (TypeError, ValueError):
        problems.append(f"date {claim.get('date')!r} does not parse")
    return problems

