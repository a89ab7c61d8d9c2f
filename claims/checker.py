"""The consistency checker: each new claim against other claims of the same speaker or government.

Order of work per new claim, cheapest and surest first:
1. candidates: claims from other articles by the same speaker or government (successive office
   holders share one), ranked by bm25 over the claim's words and concepts inside that bucket; at
   most `max_candidates`, so a backfill's model work grows linearly with the archive;
2. figures of the same quantity are compared in code (currency-aware, rounding-tolerant);
3. code looks for a change it can see (hardening, softening, reversal); only then is the model
   asked "same or changed?", and a change finding needs both;
4. separately, the roles a person is given in different articles are compared by date.
Every judgment is validated against `schemas/relation.json` before it becomes a finding; invalid
output is retried once and then recorded in `check_errors`, never as a finding.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass

from . import prompts, schemas
from .errors import ClaimsError
from .keywords import concept_terms, concept_tokens, content_words, topic_terms
from .ledger import Ledger, bucket_tokens, now
from .llm import Backend

log = logging.getLogger(__name__)

LABELS = ["same", "changed"]  # what the model is asked: one narrow question, read from two log-probabilities
CHANGE_RELATIONS = ("shift", "contradiction", "figure_change")
# A small model's bare "changed" is noise (measured on the seeds: the 0.5B puts 0.58-0.76 on
# "changed" for consistent pairs too), so a change finding needs a change that code can see in the
# text, and the model's answer must not go against it.
# Not a bare "unless": "more sanctions unless Moscow agrees" keeps up pressure on the other side, the
# same stance as before (the seeds' gold calls such pairs consistent).
ULTIMATUM = re.compile(r"\b(?:ultimatum|deadline|last chance|or else|take it or leave it)\b", re.IGNORECASE)
# A threat to stop one's own part ("could abandon efforts", "for the United States to walk away"),
# not a report that someone did ("pulled out of talks" is an event, not a stance).
# "Russia needs to withdraw its troops" is a demand on the other side, not a threat.
DISENGAGE = re.compile(
    r"\b(?:could|would|will|may|might|(?<!need )(?<!needs )(?<!has )(?<!have )(?<!ought )to|threaten\w*)"
    r"\s+(?:\w+\s+){0,3}?(?:walk away|pull out|abandon|withdraw|quit|step back|give up on)\b"
    r"(?!\s+(?:(?:its|their|all|the)\s+)?(?:troops|forces|soldiers))",
    re.IGNORECASE,
)
SOFTEN = re.compile(
    r"\b(?:open to|(?:does|do|did) not rule out|not ruling out|willing to|ready to (?:talk|negotiate|meet|engage)|"
    r"time has come)\b",
    re.IGNORECASE,
)
RULES_OUT = re.compile(r"\brul(?:es|ed|ing)? out\b", re.IGNORECASE)
# "We are not willing to negotiate" refuses, "we will never walk away" reaffirms, "there is no
# deadline" sets none: a negated cue is no change.
NEGATED_BEFORE = re.compile(r"(?:\bnot|\bnever|\bno|n['’]t|\bno longer)\s+(?:\w+\s+)?$", re.IGNORECASE)
NEGATED_WITHIN = re.compile(r"\b(?:not|never|no longer)\b|n['’]t\b", re.IGNORECASE)
REFUSAL = re.compile(
    r"\b(?:not|never|no|cannot|refus\w*|reject\w*|rule[sd]? out|dismiss\w*)\b|n['’]t\b", re.IGNORECASE
)
NEGATION = re.compile(r"\b(?:not|no|never|cannot|nor|without)\b|n['’]t\b", re.IGNORECASE)
# "X will send troops" / "X will not send troops": a reversal needs the same proposition, i.e. most
# topic terms of the shorter statement shared, asserted by one person both times.
REVERSAL_OVERLAP = 0.6
# What others should do is a demand, not an assertion a later statement can reverse: "we do not see
# Russia is serious" and "it is time for Putin to get serious" say the same thing.
DEMAND = re.compile(
    r"\b(?:must|should|ought to|needs? to|has to|have to|time for|urge[sd]?|calls? on|until)\b", re.IGNORECASE
)
# Offices do not flip within months: 'former X' within this many days of 'X' is a contradiction.
ROLE_WINDOW_DAYS = 183
FIGURE_TOLERANCE = 0.05


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
    model_calls: int = 0  # pair judgments that reached the model, retries and the prior included
    candidates: int = 0
    findings: int = 0
    errors: int = 0
    seconds_retrieval: float = 0.0


class Checker:
    def __init__(self, ledger: Ledger, backend: Backend | None, prompts_dir, max_candidates: int = 2,
                 change_threshold: float = 0.5, min_shared: int = 2, judge_all: bool = False):
        self.ledger = ledger
        self.backend = backend
        self.prompt = prompts.load(prompts_dir, "relation")
        self.max_candidates = max_candidates
        self.min_shared = min_shared
        self.judge_all = judge_all
        self.change_threshold = change_threshold

    # -- candidates --------------------------------------------------------------------------

    def candidates(self, claim: dict) -> list[dict]:
        """Claims from other articles by the same speaker or government, best-matching first: earlier
        ones and, on a claim's first check, later ones already checked, so an old article backfilled
        after newer ones is still compared with them (pending claims are checked oldest first, so a
        pair is met once; a re-check sees the same candidates as the first).

        bm25 ranks inside the speaker/government bucket (FTS tokens, see ledger.m005), searching the
        claim's words and its concepts (claims/data/concepts.json). A pair must then share
        `min_shared` topic terms, or one concept when code sees a change between them: an ultimatum
        is worded differently from the commitment it revises ("broker a swift settlement" / "say yes
        to the proposal or we walk away"). Judging an unrelated pair costs a model call (~1 s here)
        and yields nothing.
        """
        text = claim["quote"] + " " + claim["subject"]
        terms = [f'"{w}"' for w in dict.fromkeys(content_words(text))]
        terms += [f'topics:"{t}"' for t in concept_tokens(text).split()]
        if not terms:
            return []
        who = " OR ".join(f"bucket:{t}" for t in bucket_tokens(claim["speaker_id"], claim["government"]).split())
        match = f"({' OR '.join(terms)}) AND ({who})"
        sql = """
            select c.id, bm25(claims_fts) as score
            from claims_fts join claims c on c.id = claims_fts.rowid
            where claims_fts match ? and c.article_id != ? and c.id != ?
              and (c.date < ? or (c.date = ? and c.id < ?) or (? and c.checked_at is not null))
              and (c.speaker_id = ? or (c.government is not null and c.government = ?))
            order by score limit ?
        """
        rows = self.ledger.db.execute(sql, [
            match, claim["article_id"], claim["id"], claim["date"], claim["date"], claim["id"],
            claim["checked_at"] is None, claim["speaker_id"], claim["government"], self.max_candidates * 8,
        ]).fetchall()
        mine = claim_topic(claim)
        related, with_change = [], []
        for row in rows:
            other = self.ledger.claim(row[0])
            shared = mine & claim_topic(other)
            close = len(shared) >= self.min_shared
            if (close or concept_terms(shared)) and change_evidence(*ordered(other, claim)):
                with_change.append(other)
            elif close:
                related.append(other)
            if len(with_change) == self.max_candidates:
                break
        # The budget goes to possible changes first: they are what the checker is for, and a
        # paraphrase must not crowd out the quotation that says the same in the speaker's words.
        return (with_change + related)[: self.max_candidates]

    # -- judgments ---------------------------------------------------------------------------

    def _messages(self, earlier: str, later: str) -> list[dict]:
        # The later (new) claim comes first: a new claim is judged against several earlier ones
        # in a row, and llama.cpp then re-uses the cached prompt up to and including it.
        messages = [{"role": "system", "content": self.prompt.system}]
        for ex in self.prompt.examples:
            messages += [
                {"role": "user", "content": question(ex["earlier"], ex["later"])},
                {"role": "assistant", "content": ex["answer"]},
            ]
        messages.append({"role": "user", "content": question(earlier, later)})
        return messages

    def judge_model(self, a: dict, b: dict, evidence: str | None) -> Judgment:
        """Ask whether b keeps or changes a's stance; name the change from what code saw
        (`change_evidence(a, b)`).

        The answer is read from the two labels' log-probabilities, normalised over the pair. Not
        calibrated against a content-free input: measured, that prior sits at ~0.99 "same", so every
        real pair would read as "changed".
        """
        logprobs = self.backend.classify(self._messages(describe(a), describe(b)), LABELS)
        for label in LABELS:
            value = logprobs.get(label)
            if not isinstance(value, (int, float)) or math.isnan(value) or value > 0:
                raise ValueError(f"no usable log-probability for {label!r}: {value!r}")
        top = max(logprobs[label] for label in LABELS)
        z = sum(math.exp(logprobs[label] - top) for label in LABELS)
        p_changed = math.exp(logprobs["changed"] - top) / z
        if evidence and p_changed >= self.change_threshold:
            relation = "contradiction" if evidence == "reversal" else "shift"
            return Judgment(relation, explain(relation, a, b, evidence=evidence), round(p_changed, 3), "model")
        return Judgment("consistent", explain("consistent", a, b), round(1 - p_changed, 3), "model")

    def judge_figures(self, a: dict, b: dict) -> Judgment | None:
        for fa in a["figures"]:
            for fb in b["figures"]:
                if not same_quantity(fa, fb):
                    continue
                va, vb = comparable_amounts(fa, fb)
                if va is None:
                    continue
                if abs(va - vb) <= FIGURE_TOLERANCE * max(abs(va), abs(vb)):
                    return Judgment("consistent", explain("consistent", a, b, (fa, fb)), 0.9, "figures")
                return Judgment("figure_change", explain("figure_change", a, b, (fa, fb)), 0.9, "figures")
        return None

    def validate(self, judgment: Judgment) -> list[str]:
        return schemas.errors("relation", {
            "relation": judgment.relation, "explanation": judgment.explanation, "confidence": judgment.confidence,
        })

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
        import time

        report = CheckReport()
        claims = self.pending() if claims is None else claims
        for claim in claims:
            started = time.perf_counter()
            candidates = self.candidates(claim)
            report.seconds_retrieval += time.perf_counter() - started
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
        judgment = self.judge_figures(a, b)
        last_error = None
        evidence = change_evidence(a, b)
        if judgment is None and not self.judge_all and not evidence:
            # Without a change code can see, the model's answer cannot become a finding other than
            # 'consistent', which the retrieval gate (same government, shared topic) already gives,
            # at ~0.8 s a pair less.
            judgment = Judgment("consistent", explain("consistent", a, b), 0.5, "lexical")
        if judgment is None:
            if self.backend is None:
                return None
            for _attempt in (1, 2):
                try:
                    judgment = self.judge_model(a, b, evidence)
                    problems = self.validate(judgment)
                except (ValueError, KeyError, TypeError, ClaimsError) as exc:
                    problems = [str(exc)]
                    judgment = None
                if not problems:
                    break
                last_error = "; ".join(problems)
                log.warning("relation judgment for claims %s/%s rejected: %s", a["id"], b["id"], last_error)
                judgment = None
        if judgment is None:
            self.ledger.db["check_errors"].insert({
                "claim_a": a["id"], "claim_b": b["id"], "reason": last_error or "no judgment", "output": None,
                "created_at": now(),
            })
            return "error"
        model = self.backend.name if (self.backend and judgment.method == "model") else None
        if judgment.method == "model" and judgment.relation in CHANGE_RELATIONS and not self._make_room(a, b):
            return None
        return self.record(a, b, judgment, model)

    def _make_room(self, a: dict, b: dict) -> bool:
        """One model change finding per pair of (article, speaker): a lede's paraphrase and the
        quotation it summarises, each judged against the same earlier statement, are one alert. The
        version in the speakers' own words stands; an earlier one is replaced only while nobody has
        reviewed it and it has not been posted."""
        first, second = ordered(a, b)
        rows = self.ledger.db.execute(
            """select f.id, f.status, x.direct, y.direct,
                      exists(select 1 from slack_posts p where p.finding_id = f.id)
               from findings f join claims x on x.id = f.claim_a join claims y on y.id = f.claim_b
               where f.method = 'model' and f.relation in ('shift', 'contradiction')
                 and x.article_id = ? and x.speaker_id = ? and y.article_id = ? and y.speaker_id = ?""",
            [first["article_id"], first["speaker_id"], second["article_id"], second["speaker_id"]],
        ).fetchall()
        mine = (first.get("direct") or 0) + (second.get("direct") or 0)
        for finding_id, status, direct_x, direct_y, posted in rows:
            if (direct_x or 0) + (direct_y or 0) >= mine or status != "open" or posted:
                return False
            self.ledger.db.execute("delete from findings where id = ?", [finding_id])
        return True

    def record(self, a: dict, b: dict, judgment: Judgment, model: str | None) -> bool:
        """Store a finding unless the pair already has one; a dismissed finding is never renewed."""
        first, second = ordered(a, b)
        exists = self.ledger.db.execute(
            "select 1 from findings where (claim_a = ? and claim_b = ?) or (claim_a = ? and claim_b = ?)",
            [first["id"], second["id"], second["id"], first["id"]],
        ).fetchone()
        if exists:
            return False
        self.ledger.db["findings"].insert({
            "claim_a": first["id"], "claim_b": second["id"], "relation": judgment.relation,
            "explanation": judgment.explanation, "confidence": judgment.confidence, "method": judgment.method,
            "model": model, "prompt_version": self.prompt.version if judgment.method == "model" else None,
            "created_at": now(), "status": "open",
        })
        return True

    def check_roles(self, claim: dict) -> int:
        """Report one contradiction per pair of articles that give a person incompatible roles."""
        role = claim["speaker_role"]
        if not role:
            return 0
        others = self.ledger.claims(
            "c.speaker_id = ? and c.article_id != ? and c.speaker_role is not null and c.checked_at is not null",
            [claim["speaker_id"], claim["article_id"]],
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
            a = min(conflicting, key=lambda c: c["quote_start"] or 0)
            b = mine[0]
            first, second = ordered(a, b)
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
        # A role contradiction outranks a model label on the same pair (the gold's rule too), but a
        # finding someone has reviewed is left as they decided.
        row = self.ledger.db.execute(
            "select id, status from findings where claim_a = ? and claim_b = ?", [a["id"], b["id"]]
        ).fetchone()
        if row and row[1] != "open":
            return
        if row:
            self.ledger.db.execute("delete from findings where id = ?", [row[0]])
        self.record(a, b, judgment, None)


def hardens(text: str) -> bool:
    return hardening_cue(text) is not None


def softens(text: str) -> bool:
    return softening_cue(text) is not None


def change_evidence(a: dict, b: dict) -> str | None:
    """The change code can see from earlier claim a to later claim b, if any.

    'hardening': b sets an ultimatum or threatens to walk away, a did not. 'closing': a was open or
    willing, b is not or rules it out. 'softening': a refused or denied, b is open or willing where
    a was not. 'reversal': one speaker asserts with a negation
    what they asserted without one (most topic terms shared, neither side a demand on others).
    """
    qa, qb = a["quote"], b["quote"]
    if hardens(qb) and not hardens(qa):
        return "hardening"
    if closing_cue(qb) is not None and softens(qa) and closing_cue(qa) is None:
        return "closing"
    if softens(qb) and not softens(qa) and REFUSAL.search(qa):
        return "softening"
    if (a["speaker_id"] == b["speaker_id"] and bool(NEGATION.search(qa)) != bool(NEGATION.search(qb))
            and not DEMAND.search(qa) and not DEMAND.search(qb)):
        ta, tb = claim_topic(a), claim_topic(b)
        if ta and tb and len(ta & tb) >= REVERSAL_OVERLAP * min(len(ta), len(tb)):
            return "reversal"
    return None


def question(earlier: str, later: str) -> str:
    return f"Earlier: {earlier}\nLater: {later}\nSame or changed?"


def describe(claim: dict) -> str:
    quote = claim["quote"]
    words = quote.split()
    if len(words) > 40:
        quote = " ".join(words[:40]) + " …"
    return f"{claim['date']} {claim['speaker']} ({claim['speaker_role'] or 'no role given'}): \"{quote}\""


def explain(relation: str, a: dict, b: dict, figures: tuple | None = None, evidence: str | None = None) -> str:
    first, second = ordered(a, b)
    if figures:
        fa, fb = figures if first is a else (figures[1], figures[0])
        what = fa["what"] or "this"
        # The figure's 'what' often starts with its own preposition ("in military aid for 2024").
        what = what if re.match(r"(?:in|for|of|on|to|as)\b", what) else f"for {what}"
        return (f"{first['speaker']} gave {fmt_amount(fa)} {what} on {first['date']}; "
                f"{second['speaker']} gave {fmt_amount(fb)} on {second['date']}.")
    verb = {
        "hardening": "adds an ultimatum or a threat to walk away to the stance of",
        "softening": "softens the refusal of",
        "closing": "closes the door left open by",
        "reversal": "reverses",
    }.get(evidence or "") or {
        "consistent": "restates the stance of",
        "shift": "moves away from",
        "contradiction": "cannot be true alongside",
    }.get(relation, "relates to")
    cue = {"hardening": hardening_cue, "softening": softening_cue, "closing": closing_cue}.get(evidence or "")
    later = clip(second["quote"], around=cue(second["quote"]) if cue else None)
    return (f"{second['speaker']} on {second['date']} (\"{later}\") {verb} "
            f"{first['speaker']} on {first['date']} (\"{clip(first['quote'])}\").")


def clip(text: str, words: int = 14, around: int | None = None) -> str:
    """At most `words` words of a quote: its start, or the stretch ending just after character
    `around` (where the change is: "… or for the United States to walk away")."""
    parts = text.split()
    if len(parts) <= words:
        return text
    end = words
    if around is not None:
        end = max(words, min(len(parts), len(text[:around].split()) + 3))
    start = end - words
    return ("… " if start else "") + " ".join(parts[start:end]) + (" …" if end < len(parts) else "")


def hardening_cue(text: str) -> int | None:
    for m in sorted([*ULTIMATUM.finditer(text), *DISENGAGE.finditer(text)], key=lambda m: m.start()):
        if not NEGATED_BEFORE.search(text[: m.start()]) and not NEGATED_WITHIN.search(m.group(0)):
            return m.end()
    return None


def softening_cue(text: str) -> int | None:
    return next((m.end() for m in SOFTEN.finditer(text) if not NEGATED_BEFORE.search(text[: m.start()])), None)


def closing_cue(text: str) -> int | None:
    """Where a statement shuts a door it could have opened: "not willing to negotiate", "no
    longer open to talks", "rules out talks"."""
    negated = (m.end() for m in SOFTEN.finditer(text) if NEGATED_BEFORE.search(text[: m.start()]))
    ruled_out = (m.end() for m in RULES_OUT.finditer(text) if not NEGATED_BEFORE.search(text[: m.start()]))
    return min([*negated, *ruled_out], default=None)


def fmt_amount(fig: dict) -> str:
    amount = fig["amount"]
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,}"
    return f"{fig['currency']} {text}" if fig.get("currency") else text


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


def claim_topic(claim: dict) -> set[str]:
    exclude = {w.lower() for w in claim["speaker"].split()}
    return topic_terms(claim["quote"] + " " + claim["subject"], exclude)


def same_quantity(fa: dict, fb: dict) -> bool:
    if (fa["currency"] is None) != (fb["currency"] is None) and not (fa.get("equivalent_currency") or fb.get("equivalent_currency")):
        return False
    wa, wb = set(content_words(fa["what"] or "")), set(content_words(fb["what"] or ""))
    return bool(wa & wb)


def comparable_amounts(fa: dict, fb: dict) -> tuple[float | None, float | None]:
    """Both amounts in one currency, using a printed equivalent ("£3bn ($3.6bn)") where needed."""
    if fa["currency"] == fb["currency"]:
        return fa["amount"], fb["amount"]
    if fa.get("equivalent_currency") == fb["currency"]:
        return fa["equivalent_amount"], fb["amount"]
    if fb.get("equivalent_currency") == fa["currency"]:
        return fa["amount"], fb["equivalent_amount"]
    if fa.get("equivalent_currency") and fa.get("equivalent_currency") == fb.get("equivalent_currency"):
        return fa["equivalent_amount"], fb["equivalent_amount"]
    return None, None
