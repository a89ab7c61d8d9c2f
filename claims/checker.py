"""The consistency checker: each new claim against other claims of the same speaker or group.

Order of work per new claim:
1. candidates: claims from other articles by the same speaker or group (government, central bank,
   company; successive office holders share one), the group's nearest in time by index, then
   ranked by shared topic terms and by the probability that the two are about the same thing; at
   most `max_candidates`, so a backfill's work grows linearly with the archive;
2. each pair gets the signals of `change_signals` (topic overlap, figures of one quantity,
   negation, commitment, conditions, deadlines, reversal verbs, time apart), combined by the
   logistic model in `data/change_model.json`, fitted on a gold corpus and validated across
   storylines: P(change) = P(linked) * P(changed | linked);
3. P(change) at or above the fitted threshold is a change finding (figure_change when figures of
   one quantity differ); a linked pair below it is recorded as consistent; an unlinked pair is
   not recorded. The model is asked "same or changed?" only when the fitted combination gives
   that answer a weight (measured: the small models add nothing, see README);
4. separately, the roles a person is given in different articles are compared by date.
Every finding is validated against `schemas/relation.json`; an invalid one is recorded in
`check_errors`, never as a finding. Dismissed findings never come back.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from . import change_signals, prompts, schemas
from .errors import ClaimsError
from .ledger import Ledger, now
from .llm import Backend

log = logging.getLogger(__name__)

LABELS = ["same", "changed"]  # the model's question, when the combination uses it
# Offices do not flip within months: 'former X' within this many days of 'X' is a contradiction.
ROLE_WINDOW_DAYS = 183
WINDOW = 80  # a group's claims read per new claim, each side in time
PREFILTER = 12  # of those, the ones with most topic terms in common get the full signals


@dataclass
class Judgment:
    relation: str
    explanation: str
    confidence: float
    method: str


@dataclass
class CheckReport:
    claims_checked: int = 0
    pairs_judged: int = 0
    model_calls: int = 0
    candidates: int = 0
    findings: int = 0
    errors: int = 0


class Checker:
    def __init__(self, ledger: Ledger, backend: Backend | None, prompts_dir, max_candidates: int = 8,
                 weights: dict | None = None):
        self.ledger = ledger
        self.backend = backend
        self.prompt = prompts.load(prompts_dir, "relation")
        self.max_candidates = max_candidates
        self.weights = weights or change_signals.model()
        self.uses_model = "model_changed" in self.weights["changed"]["weights"]
        self._signals: dict[tuple, dict] = {}

    # -- candidates --------------------------------------------------------------------------

    def candidates(self, claim: dict) -> list[dict]:
        """Claims from other articles by the same speaker or group, most likely linked first:
        earlier ones and, on a claim's first check, later ones already checked, so an old article
        backfilled after newer ones is still compared with them (pending claims are checked oldest
        first, so a pair is met once; a re-check sees the same candidates as the first).

        The group's claims nearest in time come by index (at most `WINDOW` before and after), so
        the cost per new claim stays flat however large the ledger grows; they are ranked by shared
        topic terms, and the best `PREFILTER` by P(linked) from the fitted signals.
        """
        ids = self.ledger.nearest_in_group(claim["speaker_id"], claim["government"], claim["date"], claim["id"],
                                           WINDOW, later=claim["checked_at"] is None)
        rows = self.ledger.claim_rows(ids, exclude_article=claim["article_id"])
        pool = sorted(rows, key=lambda other: -change_signals.overlap(other, claim))[:PREFILTER]
        pool = self.ledger.claims(f"c.id in ({','.join('?' * len(pool))})", [r["id"] for r in pool]) if pool else []
        self._signals = {}  # the signals of this claim's pairs, read again by `judge`
        scored = []
        for other in pool:
            a, b = ordered(other, claim)
            values = self._signals[(a["id"], b["id"])] = change_signals.signals(a, b)
            scored.append((change_signals.combine(values, self.weights["related"]), other))
        scored.sort(key=lambda t: -t[0])
        return [other for p_link, other in scored[: self.max_candidates]
                if p_link >= self.weights["link_threshold"] / 2]

    # -- judgment ----------------------------------------------------------------------------

    def judge(self, a: dict, b: dict) -> Judgment | None:
        """The relation of earlier claim a and later claim b, or None when they are not linked."""
        values = dict(self._signals.get((a["id"], b["id"])) or change_signals.signals(a, b))
        if self.uses_model:
            values["model_changed"] = self.model_changed(a, b)
        p_link = change_signals.combine(values, self.weights["related"])
        p_change = p_link * change_signals.combine(values, self.weights["changed"])
        if p_change >= self.weights["change_threshold"]:
            if values["figure_differs"]:
                relation = "figure_change"
            elif values["negation_flip"] and a["speaker"] == b["speaker"]:
                relation = "contradiction"
            else:
                relation = "shift"
            return Judgment(relation, explain(relation, a, b, values), round(p_change, 3), "signals")
        if p_link >= self.weights["link_threshold"]:
            return Judgment("consistent", explain("consistent", a, b, values), round(1 - p_change, 3), "signals")
        return None

    def _messages(self, earlier: str, later: str) -> list[dict]:
        messages = [{"role": "system", "content": self.prompt.system}]
        for ex in self.prompt.examples:
            messages += [{"role": "user", "content": question(ex["earlier"], ex["later"])},
                         {"role": "assistant", "content": ex["answer"]}]
        messages.append({"role": "user", "content": question(earlier, later)})
        return messages

    def model_changed(self, a: dict, b: dict) -> float:
        """P('changed') from the model's two label log-probabilities, normalised over the pair."""
        logprobs = self.backend.classify(self._messages(describe(a), describe(b)), LABELS)
        for label in LABELS:
            value = logprobs.get(label)
            if not isinstance(value, (int, float)) or math.isnan(value) or value > 0:
                raise ValueError(f"no usable log-probability for {label!r}: {value!r}")
        top = max(logprobs[label] for label in LABELS)
        return math.exp(logprobs["changed"] - top) / sum(math.exp(logprobs[label] - top) for label in LABELS)

    # -- running -----------------------------------------------------------------------------

    def pending(self, since: str | None = None, everything: bool = False) -> list[dict]:
        where, params = [], []
        if not everything:
            where.append("c.checked_at is null")
        if since:
            where.append("c.date >= ?")
            params.append(since)
        return self.ledger.claims(" and ".join(where) or "1", params, order="c.date, c.article_id, c.quote_start")

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
            self.ledger.db.execute("update claims set checked_at = ? where id = ?", [now(), claim["id"]])
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
            self.ledger.db["check_errors"].insert({
                "claim_a": a["id"], "claim_b": b["id"], "reason": "; ".join(problems), "output": None,
                "created_at": now(),
            })
            return "error"
        if judgment is None:
            return None
        return self.record(a, b, judgment, self.backend.name if (self.uses_model and self.backend) else None)

    def validate(self, judgment: Judgment) -> list[str]:
        return schemas.errors("relation", {
            "relation": judgment.relation, "explanation": judgment.explanation, "confidence": judgment.confidence,
        })

    def record(self, a: dict, b: dict, judgment: Judgment, model: str | None) -> bool:
        """Store a finding unless the pair already has one; a dismissed finding is never renewed.
        Look and write under one write lock: two checkers on one ledger (two backfills) may reach
        the same pair at the same moment."""
        first, second = ordered(a, b)
        with self.ledger.transaction():
            exists = self.ledger.db.execute(
                "select 1 from findings where (claim_a = ? and claim_b = ?) or (claim_a = ? and claim_b = ?)",
                [first["id"], second["id"], second["id"], first["id"]],
            ).fetchone()
            if exists:
                return False
            self.ledger.db["findings"].insert({
                "claim_a": first["id"], "claim_b": second["id"], "relation": judgment.relation,
                "explanation": judgment.explanation, "confidence": judgment.confidence, "method": judgment.method,
                "model": model, "prompt_version": self.prompt.version if model else None,
                "created_at": now(), "status": "open",
            })
        return True

    # -- roles -------------------------------------------------------------------------------

    def check_roles(self, claim: dict) -> int:
        """Report one contradiction per pair of articles that give a person incompatible roles."""
        role = claim["speaker_role"]
        if not role:
            return 0
        # Only 'X' against 'former X' within the window can conflict: SQL picks those rows by index
        # instead of loading every claim the person ever made.
        day = dt.date.fromisoformat(claim["date"])
        window = [(day - dt.timedelta(days=ROLE_WINDOW_DAYS)).isoformat(), (day + dt.timedelta(days=ROLE_WINDOW_DAYS)).isoformat()]
        others = self.ledger.claims(
            "c.speaker_id = ? and c.speaker_role in (?, ?) and c.date between ? and ? and c.article_id != ?"
            " and c.checked_at is not null",
            [claim["speaker_id"], "former " + role.removeprefix("former "), role.removeprefix("former "), *window,
             claim["article_id"]],
        )
        added = 0
        by_article: dict[str, list[dict]] = {}
        for other in others:
            if roles_conflict(other["speaker_role"], role, other["date"], claim["date"]):
                by_article.setdefault(other["article_id"], []).append(other)
        for article_id, conflicting in by_article.items():
            if self._has_role_finding(article_id, claim["article_id"], claim["speaker_id"]):
                continue
            mine = self.ledger.claims("c.speaker_id = ? and c.article_id = ?", [claim["speaker_id"], claim["article_id"]],
                                      order="c.quote_start")
            # The person's lead statement in each article stands for the article's description of them.
            first, second = ordered(min(conflicting, key=lambda c: c["quote_start"] or 0), mine[0])
            text = (f"{first['article_id']} ({first['date']}) calls {first['speaker']} \"{first['speaker_role']}\" but "
                    f"{second['article_id']} ({second['date']}) calls them \"{second['speaker_role']}\"; both cannot be right "
                    f"within {abs(days_between(first['date'], second['date']))} days.")
            judgment = Judgment("contradiction", text, 0.95, "roles")
            if not self.validate(judgment):
                self._replace_finding(first, second, judgment)
                added += 1
        return added

    def _has_role_finding(self, article_a: str, article_b: str, speaker_id: int) -> bool:
        return bool(self.ledger.db.execute(
            """select 1 from findings f join claims x on x.id = f.claim_a join claims y on y.id = f.claim_b
               where f.method = 'roles' and x.speaker_id = ? and y.speaker_id = ?
                 and ((x.article_id = ? and y.article_id = ?) or (x.article_id = ? and y.article_id = ?))""",
            [speaker_id, speaker_id, article_a, article_b, article_b, article_a],
        ).fetchone())

    def _replace_finding(self, a: dict, b: dict, judgment: Judgment) -> None:
        # A role contradiction outranks another label on the same pair (the gold's rule too), but a
        # finding someone has reviewed is left as they decided.
        with self.ledger.transaction():
            row = self.ledger.db.execute(
                "select id, status from findings where claim_a = ? and claim_b = ?", [a["id"], b["id"]]
            ).fetchone()
            if row and row[1] != "open":
                return
            if row:
                self.ledger.db.execute("delete from findings where id = ?", [row[0]])
            self.record(a, b, judgment, None)


def question(earlier: str, later: str) -> str:
    return f"Earlier: {earlier}\nLater: {later}\nSame or changed?"


def describe(claim: dict) -> str:
    words = claim["quote"].split()
    quote = " ".join(words[:40]) + (" …" if len(words) > 40 else "")
    return f"{claim['date']} {claim['speaker']} ({claim['speaker_role'] or 'no role given'}): \"{quote}\""


# What the strongest signal says happened, in the order a reader would want it named.
CHANGE_WORDS = [
    ("figure_differs", "gives a different figure than"),
    ("reversal_later", "reverses or revises the course of"),
    ("deadline_added", "adds a deadline to the stance of"),
    ("negation_flip", "says the opposite of"),
    ("commitment_moves", "commits more or less firmly than"),
    ("condition_added", "adds conditions to the stance of"),
]


def explain(relation: str, a: dict, b: dict, values: dict) -> str:
    first, second = ordered(a, b)
    if relation == "figure_change":
        unit, x, y = next((p for p in change_signals.figure_pairs(first, second) if p[1] != p[2]))
        return (f"{first['speaker']} gave {fmt_amount(x, unit)} on {first['date']} (\"{clip(first['quote'])}\"); "
                f"{second['speaker']} gave {fmt_amount(y, unit)} on {second['date']} (\"{clip(second['quote'])}\").")
    if relation == "consistent":
        verb = "restates the stance of"
    else:
        verb = next((words for name, words in CHANGE_WORDS if values.get(name, 0) > 0), "moves away from")
    return (f"{second['speaker']} on {second['date']} (\"{clip(second['quote'])}\") {verb} "
            f"{first['speaker']} on {first['date']} (\"{clip(first['quote'])}\").")


def fmt_amount(amount: float, unit: str) -> str:
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,}"
    return f"{text}%" if unit == "%" else f"{unit} {text}"


def clip(text: str, words: int = 14) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def ordered(a: dict, b: dict) -> tuple[dict, dict]:
    return (a, b) if (a["date"], a["id"]) <= (b["date"], b["id"]) else (b, a)


def days_between(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def roles_conflict(role_a: str, role_b: str, date_a: str, date_b: str) -> bool:
    """'former US President' and 'US President' for one person within months cannot both hold."""
    if abs(days_between(date_a, date_b)) > ROLE_WINDOW_DAYS:
        return False
    bare_a = role_a.removeprefix("former ")
    bare_b = role_b.removeprefix("former ")
    return bare_a == bare_b and role_a.startswith("former ") != role_b.startswith("former ")
