"""The relation of two claims from their signals: P(change) = P(linked) * P(changed | linked), with
the fitted weights of `data/change_model.json`; the model's "same or changed?" answer is one
signal among them, asked only when the weights give it a say. Also the finding's explanation."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import change_signals, prompts

LABELS = ["same", "changed"]  # the model's question, when the combination uses it

# What the strongest signal says happened, in the order a reader would want it named.
CHANGE_WORDS = [
    ("figure_differs", "gives a different figure than"),
    ("reversal_later", "reverses or revises the course of"),
    ("deadline_added", "adds a deadline to the stance of"),
    ("negation_flip", "says the opposite of"),
    ("commitment_moves", "commits more or less firmly than"),
    ("condition_added", "adds conditions to the stance of"),
]


@dataclass
class Judgment:
    relation: str
    explanation: str
    confidence: float
    method: str


def decide(a: dict, b: dict, values: dict, weights: dict) -> Judgment | None:
    """The relation of earlier claim a and later claim b, or None when they are not linked."""
    p_link = change_signals.combine(values, weights["related"])
    p_change = p_link * change_signals.combine(values, weights["changed"])
    if p_change >= weights["change_threshold"]:
        if values["figure_differs"]:
            relation = "figure_change"
        elif values["negation_flip"] and a["speaker"] == b["speaker"]:
            relation = "contradiction"
        else:
            relation = "shift"
        return Judgment(relation, explain(relation, a, b, values), round(p_change, 3), "signals")
    if p_link >= weights["link_threshold"]:
        return Judgment("consistent", explain("consistent", a, b, values), round(1 - p_change, 3), "signals")
    return None


class ModelVote:
    """The model's P('changed') for a pair, from its two label log-probabilities."""

    def __init__(self, backend, prompts_dir):
        self.backend = backend
        self.prompt = prompts.load(prompts_dir, "relation")

    def messages(self, earlier: str, later: str) -> list[dict]:
        messages = [{"role": "system", "content": self.prompt.system}]
        for ex in self.prompt.examples:
            messages += [{"role": "user", "content": question(ex["earlier"], ex["later"])},
                         {"role": "assistant", "content": ex["answer"]}]
        messages.append({"role": "user", "content": question(earlier, later)})
        return messages

    def p_changed(self, a: dict, b: dict) -> float:
        logprobs = self.backend.classify(self.messages(describe(a), describe(b)), LABELS)
        for label in LABELS:
            value = logprobs.get(label)
            if not isinstance(value, (int, float)) or math.isnan(value) or value > 0:
                raise ValueError(f"no usable log-probability for {label!r}: {value!r}")
        top = max(logprobs[label] for label in LABELS)
        return math.exp(logprobs["changed"] - top) / sum(math.exp(logprobs[label] - top) for label in LABELS)


def question(earlier: str, later: str) -> str:
    return f"Earlier: {earlier}\nLater: {later}\nSame or changed?"


def describe(claim: dict) -> str:
    words = claim["quote"].split()
    quote = " ".join(words[:40]) + (" …" if len(words) > 40 else "")
    return f"{claim['date']} {claim['speaker']} ({claim['speaker_role'] or 'no role given'}): \"{quote}\""


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
