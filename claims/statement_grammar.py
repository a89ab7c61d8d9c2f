"""What makes a sentence a statement: the verbs, adjectives and nouns that report speech, a
stance or a decision, the frames that do not (schedules, anonymous sourcing), and the parse
patterns attribution reads (a verb's subject, a noun phrase's head, a dateline)."""

from __future__ import annotations

import re

# Verbs whose subject makes a claim: speech, stance, forecast, commitment, and the decisions an
# institution announces by acting (a rate cut, a tariff, a target). Lemmas, so every tense counts.
SPEECH = {
    "say", "tell", "add", "warn", "insist", "argue", "claim", "state", "stress", "note", "announce", "declare",
    "confirm", "deny", "reject", "dismiss", "admit", "acknowledge", "concede", "predict", "forecast", "estimate",
    "calculate", "project", "pledge", "vow", "promise", "urge", "accuse", "write", "post", "tweet", "suggest",
    "signal", "indicate", "describe", "defend", "maintain", "reiterate", "reaffirm", "caution", "explain",
    "believe", "think", "hope", "expect", "anticipate", "emphasise", "emphasize", "assert", "blame", "criticise",
    "criticize", "condemn", "praise", "oppose", "threaten", "rule", "call", "report", "reveal",
    "respond", "reply", "answer", "comment", "agree", "disagree", "question", "doubt", "concur", "commend",
    "challenge", "echo", "remark", "observe", "highlight", "mention", "contend", "allege", "dispute", "point",
    "recommend", "demand", "insist", "brief", "share", "fear", "worry",
}
DECISION = {
    "vote", "decide", "approve", "sign", "impose", "cut", "raise", "lower", "hike", "reduce", "increase", "hold",
    "keep", "leave", "scrap", "pause", "delay", "abandon", "reverse", "extend", "freeze", "exempt", "lift",
    "unveil", "introduce", "launch", "retaliate", "commit", "refuse", "downgrade", "upgrade", "revise", "slash",
    "boost", "invest", "spend", "set", "order", "halt", "resume", "plan", "intend", "aim", "target", "seek",
    "propose", "want", "back", "support", "scale", "drop", "ditch", "ban", "postpone", "axe", "restore",
    "continue", "retain", "suspend", "remove", "implement", "deliver", "save", "find", "consult", "rule",
    "pull", "walk", "work", "remain",
}
# Verbs that make a statement only with their particle or complement: "rule out", "call for",
# "pull out", "walk away", "work to", "remain opposed".
NEEDS = {
    "rule": lambda v: has_child(v, "prt", {"out"}), "call": lambda v: has_child(v, None, {"for", "on"}),
    "pull": lambda v: has_child(v, None, {"out", "back"}), "walk": lambda v: has_child(v, None, {"away"}),
    "work": lambda v: any(c.dep_ == "xcomp" for c in v.children),
    "remain": lambda v: any(c.dep_ == "acomp" and c.lower_ in STANCE_ADJ for c in v.children),
    "be": lambda v: any(c.dep_ == "acomp" and c.lower_ in STANCE_ADJ for c in v.children),
    "point": lambda v: has_child(v, "prt", {"out"}),
}
# "X is open to …", "X remains opposed to …": a stance stated with an adjective.
STANCE_ADJ = {
    "resistant", "opposed", "committed", "open", "ready", "willing", "determined", "confident", "sceptical",
    "skeptical", "cautious", "adamant", "keen", "unwilling", "reluctant", "prepared", "optimistic",
    "pessimistic", "concerned", "worried", "firm", "clear", "happy", "unhappy", "against",
}
# "Macron's statement that …": a noun of saying with its owner.
STATEMENT_NOUNS = {
    "statement", "remarks", "comments", "pledge", "promise", "warning", "claim", "announcement", "assertion",
    "vow", "prediction", "assurance", "insistence", "admission", "forecast", "threat", "demand", "call",
}
STATEMENT_VERBS = SPEECH | DECISION | {"be"}
# Schedules and expectations, judged in the attribution frame ("X is expected to announce").
NOT_CLAIM = re.compile(
    r"\b(?:is|are|was|were)\s+(?:widely\s+)?(?:expected|set|due|scheduled|poised)\s+to\b|\bis\s+understood\s+to\b",
)
# Anonymous sourcing anywhere in the sentence outside quotation marks ("…, a UK source said").
ANONYMOUS_SOURCE = re.compile(
    r"\bIt\s+was\s+reported\b|\b(?:a|an|one)\s+(?:[A-Z][\w.]*\s+)?(?:source|official|insider|aide|diplomat)s?\s+"
    r"(?:said|told)\b|\bsources?\s+(?:said|say|told|familiar)\b|\breportedly\b",
)
# An agentless forecast: "is projected to", "is expected to rise", "is set to average".
FORECAST = re.compile(r"\b(?:is|are|was|were|has been|have been)\s+(?:now\s+)?(?:projected|expected|forecast|estimated|set)\s+to\b")

def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def is_quote_mark(text: str) -> bool:
    return text in ('"', "“", "”", "'", "‘", "’")


def subject_of(verb):
    """The grammatical subject of a verb; a participle or infinitive clause ("…, warning that",
    "vowed to retaliate") takes the subject of the verb it hangs from; a relative clause ("Reyes,
    who said …") its antecedent."""
    tok = verb
    for _ in range(4):
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "expl")), None)
        if subj is not None:
            return None if subj.dep_ == "expl" else subj
        if tok.dep_ == "relcl":
            return tok.head
        # "…, insisting that", "vowed to", "by insisting": up to the verb that has the subject.
        if tok.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep") and tok.head.i != tok.i:
            if tok.dep_ == "acl" and tok.tag_ != "VBG":
                return None
            tok = tok.head
            continue
        return None
    return None


DATELINE = re.compile(
    r"(?:\([^)]{1,40}\)|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})(?:\s*\[[^\]]{1,30}\])?(?:\s*\([^)]{1,40}\))?"
    r"(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?::|—|–|\s-)\s+(?=\S)"
)


def dateline_length(text: str) -> int:
    m = DATELINE.match(text)
    return m.end() if m and m.end() < len(text) // 2 else 0


def has_child(verb, dep: str | None, words: set[str]) -> bool:
    return any((dep is None or c.dep_ == dep) and c.lower_ in words for c in verb.children)


def is_dateline(tok) -> bool:
    """'LONDON:', 'OTTAWA —', 'Ottawa [Canada], August 23 :' open a story; they are no subject."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.i < 4 and nxt is not None and nxt.text in (":", "—", "–", "[", "(")


def np_head(tok):
    """The head noun of the phrase starting at `tok` ("the Chinese commerce ministry" -> ministry)."""
    while tok.head.i != tok.i and tok.dep_ in ("compound", "amod", "det", "poss", "case", "nmod", "punct"):
        tok = tok.head
    return tok


def alias_text(tok, offset: int, body: str) -> str:
    span = tok.doc[tok.left_edge.i: tok.i + 1]
    return body[offset + span.start_char: offset + span.end_char]
