"""Who said what: the attributed statements of an article, from its sentence structure.

A statement is a sentence (or the quotation inside it) whose grammatical subject is an actor and
whose verb reports speech, a stance or a decision: "Reyes said …", "the bank cut rates to …",
"Beijing vowed to …", "…, said Mara Holm", "according to the ministry, …". The dependency
parse finds the subject; named-entity types and the gazetteer decide whether it is an actor (a
person, a government, an institution, a company, a party) and give its canonical name, so a war,
a date, a market or a number never becomes a speaker. Pronouns and generic nouns ("the company",
"the Chancellor", "the ministry") take the actor the article last named that fits. A quotation
paragraph with no attribution of its own continues the previous speaker.

Quotes are cut from the body by offset, so every quote is verbatim by construction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import dates, figures, nlp
from .actors_text import Actor, ArticleActors
from .segments import Paragraph, Sentence, in_spans, paragraphs

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
    "rule": lambda v: _has(v, "prt", {"out"}), "call": lambda v: _has(v, None, {"for", "on"}),
    "pull": lambda v: _has(v, None, {"out", "back"}), "walk": lambda v: _has(v, None, {"away"}),
    "work": lambda v: any(c.dep_ == "xcomp" for c in v.children),
    "remain": lambda v: any(c.dep_ == "acomp" and c.lower_ in STANCE_ADJ for c in v.children),
    "be": lambda v: any(c.dep_ == "acomp" and c.lower_ in STANCE_ADJ for c in v.children),
    "point": lambda v: _has(v, "prt", {"out"}),
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
# The attribution frame: the subject and verb and this many characters after ("said last June",
# "is expected to announce"); "reported profits for last year" dates the profits, not the statement.
FRAME_TAIL = 20
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
# A quotation's next sentence of fewer words than this continues the statement before it ("To what
# end?"); a longer one is an assertion of its own.
MERGE_WORDS = 25
ANNOUNCES = re.compile(r"\b(?:announc\w*|unveil\w*|set out|pledg\w*|promis\w*|plans?|proposals?|said|says|told)\b", re.I)
LEAD_WORDS = re.compile(r"(?:But|And|However|Meanwhile|Despite that|Additionally|Yet|Still|Also|So),?\s+")


@dataclass
class Attributed:
    """One attributed statement: the span of the body that carries it and who made it when."""

    speaker: str
    role: str | None
    date: dt.date
    quote_start: int
    quote_end: int
    sentence_start: int
    sentence_end: int
    direct: bool
    paragraph: int
    alias: str = ""  # how the article named the speaker here: "Mr Lammy", "the Foreign Secretary"
    kind: str = "person"  # person | institution | government | org

    def quote(self, body: str) -> str:
        return body[self.quote_start:self.quote_end]


@dataclass
class Attribution:
    actor: Actor
    clause_start: int  # body offsets of subject + verb, where a date of the statement is looked for
    clause_end: int
    alias: str
    also: tuple = ()  # other people making the same statement with `actor` ("both A and B said")


MAX_SENTENCE_CHARS = 3000
MAX_SENTENCES = 2000


class Attributor:
    def __init__(self, body: str, published: dt.date, known: dict[str, str | None] | None = None, title: str = ""):
        self.body = body
        self.published = published
        self.title = _letters(title)
        self.paragraphs = paragraphs(body)
        # A "sentence" longer than any a reporter writes is a table, a transcript dump or junk: it
        # is not parsed (spaCy's memory grows with the text) and nothing in it is attributed.
        # Past MAX_SENTENCES (several times a long feature) the rest of an input is not read either.
        every = [(p, s) for p in self.paragraphs for s in p.sentences]
        # A dateline ("LONDON (AP) —", "Ottawa [Canada], August 23 :") is blanked for the parser,
        # which would otherwise take the city for the subject, and left out of the quote.
        self.dateline = {id(s): _dateline_length(s.text) if s is p.sentences[0] else 0 for p, s in every}
        sentences = [(p, s) for p, s in every if len(s.text) <= MAX_SENTENCE_CHARS]
        self.truncated = len(sentences) > MAX_SENTENCES
        sentences = sentences[:MAX_SENTENCES]
        if len(sentences) < len(every):
            # What is not parsed is not read at all, so later steps stay bounded too.
            kept = {id(s) for _p, s in sentences}
            for para in self.paragraphs:
                para.sentences = [s for s in para.sentences if id(s) in kept]
                end = max((s.end for s in para.sentences), default=para.start)
                para.quotes = [q for q in para.quotes if q[0] < end]
        # A comma with no space after it ("(MPC),signalled") glues two words for the tokenizer; a
        # space in its place keeps every offset and gives the parser two words.
        docs = nlp.parse_many([re.sub(r",(?=[^\W\d_])", " ", " " * self.dateline[id(s)] + s.text[self.dateline[id(s)]:])
                               for _p, s in sentences])
        self.docs = {id(s): d for (_p, s), d in zip(sentences, docs)}
        quoted = [region for p in self.paragraphs for region in p.quotes]
        self.actors = ArticleActors(body, published, known, [(s.start, d) for (_p, s), d in zip(sentences, docs)],
                                    lambda pos: in_spans(quoted, pos))

    # -- one sentence ------------------------------------------------------------------------

    def attribute(self, para: Paragraph, sent: Sentence) -> Attribution | None:
        doc = self.docs.get(id(sent))
        if doc is None:
            return None
        in_quote = [para.in_quote(sent.start + t.idx) or _is_quote_mark(t.text) for t in doc]
        m = re.search(r"\b[Aa]ccording to\s+", sent.text)
        if m and not para.in_quote(sent.start + m.start()):
            tok = next((t for t in doc if t.idx >= m.end() and not in_quote[t.i]), None)
            if tok is not None:
                head = _np_head(tok)
                actor = self.actors.resolve(head, sent.start)
                if actor:
                    return Attribution(actor, sent.start + m.start(), sent.start + head.idx + len(head), _alias(head, sent.start, self.body))
        best = None
        for tok in doc:
            if in_quote[tok.i]:
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "NOUN" and lemma in STATEMENT_NOUNS:
                owner = next((c for c in tok.children if c.dep_ == "poss"), None)
                clause = any(c.dep_ in ("acl", "relcl", "ccomp") for c in tok.children)
                actor = self.actors.resolve(owner, sent.start) if owner is not None and clause else None
                # "Macron's statement that": a person or a known institution owns a statement; a
                # guessed organisation ("the Budget's announcement that") does not.
                if actor and actor.kind != "org" and best is None:
                    best = ((0, 1), Attribution(actor, sent.start + owner.idx, sent.start + tok.idx + len(tok),
                                                _alias(owner, sent.start, self.body)))
                continue
            if tok.pos_ not in ("VERB", "AUX") or lemma not in STATEMENT_VERBS:
                continue
            if lemma in NEEDS and not NEEDS[lemma](tok):
                continue
            subject = _subject(tok)
            if subject is None or in_quote[subject.i] or _dateline(subject):
                continue
            actor = self.actors.resolve_subject(subject, sent.start)
            also = ()
            if actor is None:
                joint = self.actors.joint_people(subject, sent.start)
                if not joint:
                    continue
                actor, also = joint[0], tuple(joint[1:])
            rank = (0 if tok.lemma_.lower() in SPEECH else 1, 0 if tok.dep_ == "ROOT" else 1)
            if best is None or rank < best[0]:
                start = min(subject.left_edge.idx, tok.idx) if subject.i < tok.i else tok.idx
                end = max(tok.idx + len(tok), subject.idx + len(subject))
                best = (rank, Attribution(actor, sent.start + start, sent.start + end, _alias(subject, sent.start, self.body),
                                          also))
        return best[1] if best else None

    # -- the article -------------------------------------------------------------------------

    def statements(self) -> list[Attributed]:
        results: list[Attributed] = []
        bullets_of: Actor | None = None  # who a bullet list after "…:" belongs to
        last_institution: Actor | None = None  # the organisation that spoke last, for unattributed forecasts
        previous: Actor | None = None
        previous_open = False  # previous paragraph ended with ':' or was an attributed quote
        for index, para in enumerate(self.paragraphs):
            # The outlet's headline often opens the body again; it is metadata, not a claim.
            if not para.sentences or para.is_heading or para.is_caption or (self.title and _letters(para.text) == self.title):
                previous, previous_open = None, False
                continue
            hits = [self.attribute(para, sent) for sent in para.sentences]
            first = next((h.actor for h in hits if h), None)
            para_speaker = first
            if para_speaker is None and para.is_pure_quote and previous_open and previous:
                para_speaker = previous
            if para.is_bullet and bullets_of and not any(hits):
                # "The changes announced:" then "• Delaying the ban …": the list is the speaker's.
                hits = [Attribution(bullets_of, para.start, para.start, "")] + [None] * (len(hits) - 1)
                para_speaker = bullets_of
            if not para.is_bullet:
                # Only a list introduced as someone's announcement ("the changes announced:") is
                # theirs; "Key measures include:" lists facts.
                announces = para.text.rstrip().endswith(":") and ANNOUNCES.search(para.text)
                bullets_of = (first or (Actor(results[-1].speaker, results[-1].role, results[-1].kind) if results else None)) \
                    if announces else None
            for hit, sent in zip(hits, para.sentences):
                # Schedules, expectations and anonymous sources are judged in the attribution frame
                # ("X is expected to announce", "a source said"), not in what X is reported saying
                # ("grain exports, it said, are expected to halve").
                frame = _masked(sent, para)[: max(0, hit.clause_end - sent.start) + FRAME_TAIL] if hit else sent.text
                # "Harvest output is projected to fall 6 percent" in a report on an institution's
                # forecasts: the figure is the institution's, though the sentence names no one.
                forecaster = next((a for a in (para_speaker, previous, last_institution)
                                   if a is not None and a.kind in ("institution", "government", "org")), None)
                if hit and hit.actor.kind in ("institution", "government", "org"):
                    forecaster = hit.actor
                forecast = ((not hit or forecaster is hit.actor) and forecaster is not None
                            and FORECAST.search(sent.text) and not _quote_overlaps(para, sent)
                            and any(f.currency or f.what.startswith("percent") for f in figures.extract(sent.text)))
                if (NOT_CLAIM.search(frame) and not forecast) or ANONYMOUS_SOURCE.search(_masked(sent, para)):
                    continue
                if hit and sent.text.rstrip().endswith(":") and not _quote_overlaps(para, sent):
                    # "X said:" frames the quotation that follows; the claim is the quotation.
                    continue
                # A statement pinned to an earlier period ("In 2019 X said", "X said last June") is
                # background; a past year elsewhere in the sentence dates something else.
                if hit and dates.is_dated_background(frame, self.published):
                    continue
                if hit:
                    actor, date, alias = hit.actor, self._date(hit), hit.alias
                elif para_speaker and _inside_quote(para, sent):
                    actor, date, alias = para_speaker, self.published, ""
                elif forecast:
                    actor, date, alias = forecaster, self.published, ""
                else:
                    continue
                qs, qe, direct = _quote_span(self.body, para, sent, hit.clause_start if hit else None)
                qs = max(qs, sent.start + self.dateline[id(sent)])
                while qs < qe and (self.body[qs] in "•·*–-▪● \t"):  # a list item's bullet is no part of it
                    qs += 1
                if qe <= qs:
                    continue
                last = results[-1] if results else None
                if (hit is None and last and last.paragraph == index and last.speaker == actor.name
                        and last.direct and direct and not figures.extract(sent.text)
                        and len(sent.text.split()) < MERGE_WORDS):
                    # The next sentence of the same quotation is part of the same statement,
                    # unless it gives a figure: a number is an assertion of its own.
                    last.quote_end = qe
                    last.sentence_end = sent.end
                    continue
                spans = self._clauses(sent, hit) if hit and not direct else None
                for who in [actor] + list(hit.also if hit else ()):
                    for cs, ce in spans or [(qs, qe)]:
                        results.append(Attributed(who.name, who.role, date, cs, ce, sent.start, sent.end, direct, index,
                                                  alias, who.kind or "person"))
            if first is not None and first.kind in ("institution", "government", "org"):
                last_institution = first
            if para_speaker:
                previous = para_speaker
                previous_open = para.text.rstrip().endswith(":") or bool(para.quotes) or first is not None
            else:
                previous, previous_open = None, False
        return results

    def _clauses(self, sent: Sentence, hit: Attribution) -> list[tuple[int, int]] | None:
        """One sentence, two assertions: "It lowered its harvest forecast from 4% to 2% and warned
        that food prices would rise 6%" is two claims. Clauses headed by statement verbs of the
        same subject, each with a figure of its own, or one a decision and one a statement, are cut
        apart; anything else stays whole."""
        doc = self.docs[id(sent)]
        heads = [t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in STATEMENT_VERBS
                 and t.dep_ in ("advcl", "conj", "ROOT") and sent.start + t.idx >= hit.clause_start
                 and _subject(t) is not None and self.actors.resolve_subject(_subject(t), sent.start) == hit.actor]
        if len(heads) < 2:
            return None
        # "X will delay the ban but has argued it is wrong": a decision and a statement about it,
        # coordinated main clauses, are two assertions even without figures.
        heads.sort(key=lambda t: t.i)
        mixed = (len(heads) == 2 and heads[0].dep_ == "ROOT" and heads[1].dep_ == "conj" and heads[1].head.i == heads[0].i
                 and len({t.lemma_.lower() in SPEECH for t in heads}) == 2)
        spans = []
        for n, verb in enumerate(heads):
            start_tok = verb if verb.dep_ != "ROOT" else verb.left_edge
            # A clause ends where the next one starts, or before its own "and …" conjunct.
            stops = [c.i for c in verb.children if c.dep_ in ("conj", "cc") and c.i > verb.i]
            if n + 1 < len(heads):
                stops.append(heads[n + 1].left_edge.i if heads[n + 1].dep_ == "ROOT" else heads[n + 1].i)
            end_tok = doc[min(stops) - 1] if stops else verb.right_edge
            end_tok = min(end_tok, verb.right_edge, key=lambda t: t.i)
            while end_tok.i > start_tok.i and end_tok.pos_ in ("PUNCT", "CCONJ"):
                end_tok = doc[end_tok.i - 1]
            span = (sent.start + start_tok.idx, sent.start + end_tok.idx + len(end_tok))
            if not figures.extract(self.body[span[0]:span[1]]) and not mixed:
                return None
            spans.append(span)
        return spans if len(spans) > 1 else None

    def _date(self, hit: Attribution) -> dt.date:
        head = self.body[hit.clause_start:hit.clause_end]
        window = re.split(r"[,;:“\"]", self.body[hit.clause_end:hit.clause_end + 30], maxsplit=1)[0]
        return dates.resolve(head + " " + window, self.published) or self.published


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _is_quote_mark(text: str) -> bool:
    return text in ('"', "“", "”", "'", "‘", "’")


def _subject(verb):
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


def _dateline_length(text: str) -> int:
    m = DATELINE.match(text)
    return m.end() if m and m.end() < len(text) // 2 else 0


def _has(verb, dep: str | None, words: set[str]) -> bool:
    return any((dep is None or c.dep_ == dep) and c.lower_ in words for c in verb.children)


def _dateline(tok) -> bool:
    """'LONDON:', 'OTTAWA —', 'Ottawa [Canada], August 23 :' open a story; they are no subject."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.i < 4 and nxt is not None and nxt.text in (":", "—", "–", "[", "(")


def _np_head(tok):
    """The head noun of the phrase starting at `tok` ("the Chinese commerce ministry" -> ministry)."""
    while tok.head.i != tok.i and tok.dep_ in ("compound", "amod", "det", "poss", "case", "nmod", "punct"):
        tok = tok.head
    return tok


def _alias(tok, offset: int, body: str) -> str:
    span = tok.doc[tok.left_edge.i: tok.i + 1]
    return body[offset + span.start_char: offset + span.end_char]


def _masked(sent: Sentence, para: Paragraph) -> str:
    """The sentence with quoted passages blanked: a date inside a quotation is no background."""
    return "".join(" " if para.in_quote(sent.start + i) else ch for i, ch in enumerate(sent.text))


def _quote_overlaps(para: Paragraph, sent: Sentence) -> bool:
    return any(qs < sent.end and sent.start < qe for qs, qe in para.quotes)


def _inside_quote(para: Paragraph, sent: Sentence) -> bool:
    return any(qs <= sent.start + 1 and sent.start < qe for qs, qe in para.quotes) or any(
        qs < sent.end and sent.start < qe and (min(qe, sent.end) - max(qs, sent.start)) > 0.6 * (sent.end - sent.start)
        for qs, qe in para.quotes
    )


# A clause that reports someone else speaking, trailing (", as the US said …", "while Moscow
# warned …") or leading ("As the US threatened to walk away, Lammy said …").
_WHO_SAID = (
    r"(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}\s+"
    r"(?:said|says|warned|announced|threatened|insisted|claimed|added)\b"
)
OTHER_SPEAKER_CLAUSE = re.compile(r",?\s+(?:as|while|whereas|after|even as)\s+" + _WHO_SAID)
OTHER_SPEAKER_LEAD = re.compile(r"(?:As|While|Whereas|After|Even as)\s+" + _WHO_SAID + r"[^,;]*,\s+")


def _quote_span(body: str, para: Paragraph, sent: Sentence, attribution: int | None = None) -> tuple[int, int, bool]:
    """The direct quotation inside a sentence when it carries the statement, else the sentence.

    A clause that reports another speaker is cut off, unless the attribution itself stands in it
    ("The levy will rise, as Reyes set out her plans to …" is Reyes's statement)."""
    best = None
    for qs, qe in para.quotes:
        s, e = max(qs, sent.start), min(qe, sent.end)
        if e - s <= 0:
            continue
        if best is None or e - s > best[1] - best[0]:
            best = (s, e)
    if best and (best[1] - best[0]) >= 0.45 * (sent.end - sent.start):
        s, e = best
        # Trim the comma or full stop that belongs to the reporting frame, and outer spaces.
        while e > s and body[e - 1] in " ,":
            e -= 1
        while s < e and body[s] in " ":
            s += 1
        return s, e, True
    s, e = sent.start, sent.end
    lead = LEAD_WORDS.match(body, s, e)
    if lead:
        s = lead.end()
    lead_clause = OTHER_SPEAKER_LEAD.match(body, s, e)
    if lead_clause and (attribution is None or attribution >= lead_clause.end()):
        s = lead_clause.end()
    other = OTHER_SPEAKER_CLAUSE.search(body, s, e)
    if other and (attribution is None or attribution < other.start()):
        # "X warned … as the US said it could walk away": the US's words are not X's claim.
        e = other.start()
    while e > s and body[e - 1] in " .":
        e -= 1
    return s, e, False
