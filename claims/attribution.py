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
from .quote_spans import inside_quote, masked, quote_overlaps, quote_span
from .segments import Paragraph, Sentence, in_spans, paragraphs
from .statement_grammar import (
    ANONYMOUS_SOURCE, FORECAST, NEEDS, NOT_CLAIM, SPEECH, STATEMENT_NOUNS, STATEMENT_VERBS,
    alias_text, dateline_length, is_dateline, is_quote_mark, letters, np_head, subject_of,
)

# The attribution frame: the subject and verb and this many characters after ("said last June",
# "is expected to announce"); "reported profits for last year" dates the profits, not the statement.
FRAME_TAIL = 20
# A quotation's next sentence of fewer words than this continues the statement before it ("To what
# end?"); a longer one is an assertion of its own.
MERGE_WORDS = 25
ANNOUNCES = re.compile(r"\b(?:announc\w*|unveil\w*|set out|pledg\w*|promis\w*|plans?|proposals?|said|says|told)\b", re.I)


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
        self.title = letters(title)
        self.paragraphs = paragraphs(body)
        # A "sentence" longer than any a reporter writes is a table, a transcript dump or junk: it
        # is not parsed (spaCy's memory grows with the text) and nothing in it is attributed.
        # Past MAX_SENTENCES (several times a long feature) the rest of an input is not read either.
        every = [(p, s) for p in self.paragraphs for s in p.sentences]
        # A dateline ("LONDON (AP) —", "Ottawa [Canada], August 23 :") is blanked for the parser,
        # which would otherwise take the city for the subject, and left out of the quote.
        self.dateline = {id(s): dateline_length(s.text) if s is p.sentences[0] else 0 for p, s in every}
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
        in_quote = [para.in_quote(sent.start + t.idx) or is_quote_mark(t.text) for t in doc]
        m = re.search(r"\b[Aa]ccording to\s+", sent.text)
        if m and not para.in_quote(sent.start + m.start()):
            tok = next((t for t in doc if t.idx >= m.end() and not in_quote[t.i]), None)
            if tok is not None:
                head = np_head(tok)
                actor = self.actors.resolve(head, sent.start)
                if actor:
                    return Attribution(actor, sent.start + m.start(), sent.start + head.idx + len(head), alias_text(head, sent.start, self.body))
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
                                                alias_text(owner, sent.start, self.body)))
                continue
            if tok.pos_ not in ("VERB", "AUX") or lemma not in STATEMENT_VERBS:
                continue
            if lemma in NEEDS and not NEEDS[lemma](tok):
                continue
            subject = subject_of(tok)
            if subject is None or in_quote[subject.i] or is_dateline(subject):
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
                best = (rank, Attribution(actor, sent.start + start, sent.start + end, alias_text(subject, sent.start, self.body),
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
            if not para.sentences or para.is_heading or para.is_caption or (self.title and letters(para.text) == self.title):
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
                frame = masked(sent, para)[: max(0, hit.clause_end - sent.start) + FRAME_TAIL] if hit else sent.text
                # "Harvest output is projected to fall 6 percent" in a report on an institution's
                # forecasts: the figure is the institution's, though the sentence names no one.
                forecaster = next((a for a in (para_speaker, previous, last_institution)
                                   if a is not None and a.kind in ("institution", "government", "org")), None)
                if hit and hit.actor.kind in ("institution", "government", "org"):
                    forecaster = hit.actor
                forecast = ((not hit or forecaster is hit.actor) and forecaster is not None
                            and FORECAST.search(sent.text) and not quote_overlaps(para, sent)
                            and any(f.currency or f.what.startswith("percent") for f in figures.extract(sent.text)))
                if (NOT_CLAIM.search(frame) and not forecast) or ANONYMOUS_SOURCE.search(masked(sent, para)):
                    continue
                if hit and sent.text.rstrip().endswith(":") and not quote_overlaps(para, sent):
                    # "X said:" frames the quotation that follows; the claim is the quotation.
                    continue
                # A statement pinned to an earlier period ("In 2019 X said", "X said last June") is
                # background; a past year elsewhere in the sentence dates something else.
                if hit and dates.is_dated_background(frame, self.published):
                    continue
                if hit:
                    actor, date, alias = hit.actor, self._date(hit), hit.alias
                elif para_speaker and inside_quote(para, sent):
                    actor, date, alias = para_speaker, self.published, ""
                elif forecast:
                    actor, date, alias = forecaster, self.published, ""
                else:
                    continue
                qs, qe, direct = quote_span(self.body, para, sent, hit.clause_start if hit else None)
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
                 and subject_of(t) is not None and self.actors.resolve_subject(subject_of(t), sent.start) == hit.actor]
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


