"""The consistency checker: each new claim against other claims of the same speaker or group.

Order of work per new claim:
1. candidates (`candidates`): claims from other articles by the same speaker or group
   (government, central bank, company; successive office holders share one), nearest in time,
   ranked by shared topic terms and by the probability that the two are about the same thing; at
   most `max_candidates`, so a backfill's work grows linearly with the archive;
2. each pair gets the signals of `change_signals` (topic overlap, figures of one quantity,
   negation, commitment, conditions, deadlines, reversal verbs, time apart), combined by the
   logistic model in `data/change_model.json`, fitted on a gold corpus and validated across
   storylines (`judgment`);
3. P(change) at or above the fitted threshold is a change finding (figure_change when figures of
   one quantity differ); a linked pair below it is recorded as consistent; an unlinked pair is
   not recorded. The model is asked "same or changed?" only when the fitted combination gives
   that answer a weight (measured: the small models add nothing, see README);
4. separately, the roles a person is given in different articles are compared by date (`roles`).
Every finding is validated against `schemas/relation.json`; an invalid one is recorded in
`check_errors`, never as a finding. Dismissed findings never come back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import change_signals, schemas
from .candidates import find_candidates
from .errors import ClaimsError
from .judgment import Judgment, ModelVote, decide, ordered
from .ledger import Ledger
from .llm import Backend
from .roles import role_conflicts

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    claims_checked: int = 0
    pairs_judged: int = 0
    model_calls: int = 0  # only when the fitted combination gives the model's answer a weight
    candidates: int = 0
    findings: int = 0
    errors: int = 0  # judgments that failed validation twice (the `check_errors` table)


class Checker:
    def __init__(self, ledger: Ledger, backend: Backend | None, prompts_dir, max_candidates: int = 8,
                 weights: dict | None = None):
        self.ledger = ledger
        self.backend = backend
        self.vote = ModelVote(backend, prompts_dir)
        self.max_candidates = max_candidates
        self.weights = weights or change_signals.model()
        self.uses_model = "model_changed" in self.weights["changed"]["weights"]
        self._signals: dict[tuple, dict] = {}

    def candidates(self, claim: dict) -> list[dict]:
        chosen, self._signals = find_candidates(self.ledger, claim, self.weights, self.max_candidates)
        return chosen

    def judge(self, a: dict, b: dict) -> Judgment | None:
        """The relation of earlier claim a and later claim b, or None when they are not linked."""
        values = dict(self._signals.get((a["id"], b["id"])) or change_signals.signals(a, b))
        if self.uses_model:
            values["model_changed"] = self.vote.p_changed(a, b)
        return decide(a, b, values, self.weights)

    def pending(self, since: str | None = None, everything: bool = False) -> list[dict]:
        return self.ledger.unchecked_claims(since=since, everything=everything)

    def check(self, claims: list[dict] | None = None, progress=None) -> CheckReport:
        report = CheckReport()
        claims = self.pending() if claims is None else claims
        for claim in claims:
            candidates = self.candidates(claim)
            report.candidates += len(candidates)
            for other in candidates:
                report.pairs_judged += 1
                calls = self.backend.usage.calls if self.backend else 0
                outcome = self._judge_pair(*ordered(other, claim))
                report.model_calls += (self.backend.usage.calls - calls) if self.backend else 0
                if outcome == "error":
                    report.errors += 1
                elif outcome:
                    report.findings += 1
            report.findings += self.check_roles(claim)
            self.ledger.mark_checked(claim["id"])
            report.claims_checked += 1
            if progress:
                progress(1)
        return report

    def _judge_pair(self, a: dict, b: dict):
        problems, judgment = [], None
        for _attempt in (1, 2) if self.uses_model else (1,):
            try:
                judgment = self.judge(a, b)
                problems = self.validate(judgment) if judgment else []
            except (ValueError, KeyError, TypeError, ClaimsError) as exc:
                problems, judgment = [str(exc)], None
            if not problems:
                break
            log.warning("relation judgment for claims %s/%s rejected: %s", a["id"], b["id"], "; ".join(problems))
        if problems:
            self.ledger.log_check_error(a["id"], b["id"], "; ".join(problems))
            return "error"
        if judgment is None:
            return None
        return self.record(a, b, judgment, self.backend.name if (self.uses_model and self.backend) else None)

    def validate(self, judgment: Judgment) -> list[str]:
        return schemas.errors("relation", {
            "relation": judgment.relation, "explanation": judgment.explanation, "confidence": judgment.confidence,
        })

    def record(self, a: dict, b: dict, judgment: Judgment, model: str | None) -> bool:
        """Store a finding unless the pair already has one; a dismissed finding is never renewed."""
        first, second = ordered(a, b)
        return self.ledger.record_finding(first["id"], second["id"], self._values(judgment, model))

    def _values(self, judgment: Judgment, model: str | None) -> dict:
        return {"relation": judgment.relation, "explanation": judgment.explanation,
                "confidence": judgment.confidence, "method": judgment.method, "model": model,
                "prompt_version": self.vote.prompt.version if model else None}

    def check_roles(self, claim: dict) -> int:
        """One contradiction per pair of articles that give a person incompatible roles. It
        outranks another label on the same pair (the gold's rule too), but a finding someone has
        reviewed is left as they decided."""
        added = 0
        for first, second, judgment in role_conflicts(self.ledger, claim):
            if not self.validate(judgment):
                self.ledger.replace_finding(first["id"], second["id"], self._values(judgment, None))
                added += 1
        return added
