"""Who said what: speaker mentions, reporting verbs and the quote span of each attributed statement.

This is deterministic on purpose. Measured here, a 1.5B model asked to attribute sentences credited
claims to "London" and to "The British-Ukrainian cooperation"; the patterns of news copy
('"…," Lammy said', 'X told Politico', 'according to X', a quote paragraph continuing the last
speaker) are regular enough for code, and code cuts quotes from the body by offset, so every quote
is verbatim by construction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import actors, dates
from .segments import Paragraph, Sentence, paragraphs

REPORTING_VERBS = (
    "said|says|say|added|adds|told|tells|warned|warns|pledged|pledges|vowed|vows|promised|promises|"
    "urged|urges|commended|praised|challenged|concurred|acknowledged|acknowledges|admitted|dismissed|"
    "dismisses|declared|declares|maintains|maintained|insists|insisted|believes|believed|rejected|rejects|"
    "denied|denies|stated|states|stressed|argued|argues|claimed|claims|announced|announces|accused|"
    "accuses|emphasised|emphasized|echoed|reaffirmed|reiterated|confirmed|predicted|forecast|expects|"
    "called for|has remained resistant|remained resistant|remains resistant|has refused|refused|"
    "has ruled out|ruled out|has repeatedly rejected|has repeatedly said|wrote|posted|tweeted"
)
# Participles take the subject of their sentence: "Mr Trump took to Truth Social, revealing that…".
PARTICIPLES = "revealing|saying|stating|stressing|insisting|arguing|warning|blaming|claiming|adding|suggesting|declaring|vowing|promising|pledging|urging"
STATEMENT_NOUNS = "statement|remarks|comments|pledge|promise|warning|claim|announcement|assertion|vow|prediction"

HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?"
NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]{2}|[A-Z]\.[A-Z]\.)"
STOP_TOKENS = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "In", "On", "At", "But", "And", "However", "Despite",
    "Meanwhile", "Additionally", "Ahead", "As", "After", "Before", "Speaking", "Urging", "According", "While",
    "Mr", "Mrs", "Ms", "Sir", "Dame", "Lord", "Lady", "Dr", "This", "That", "These", "Those", "There", "Their",
    "His", "Her", "Its", "Our", "When", "If", "Yet", "So", "Also", "Prime", "Minister", "President", "Foreign",
    "Secretary", "Defence", "Defense", "Vice", "Chancellor", "Government", "Former", "Chief", "Western",
    "European", "Europe", "Russian", "Ukrainian", "British", "American", "French", "Italian", "German",
    "Polish", "Canadian", "Estonian", "Russia", "Ukraine", "Britain", "London", "Moscow", "Kyiv", "Kremlin",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Street", "House",
}
PRONOUNS = {"he", "she", "they"}
NOT_CLAIM = re.compile(
    r"\b(?:is|are|was|were)\s+(?:expected|set|due|scheduled|likely|poised)\s+to\b|\bIt\s+was\s+reported\b|"
    r"\b(?:a|an|one)\s+(?:[A-Z][\w.]*\s+)?(?:source|official|insider|aide|diplomat)s?\s+(?:said|told)\b|"
    r"\bsources?\s+(?:said|say|told)\b|\breportedly\b",
)
MEDIA = {"Politico", "Reuters", "AP", "AFP", "BBC", "CNN", "Bloomberg", "Kyiv Independent", "PA"}


@dataclass
class Person:
    name: str
    roles: list[str] = field(default_factory=list)  # raw role phrases as the article gives them


@dataclass
class Mention:
    start: int
    end: int
    speaker: str
    role: str | None
    kind: str  # person | institution | pronoun


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

    def quote(self, body: str) -> str:
        return body[self.quote_start:self.quote_end]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _role_regex() -> str:
    gaz = actors.gazetteer()
    countries = [v for vs in gaz["countries"].values() for v in vs]
    titles = list(gaz["titles"])
    return (
        rf"(?:(?:former|ex-)\s+)?(?:(?:{_alternation(countries)})\s+)?(?i:{_alternation(titles)})"
    )


ROLE = _role_regex()
PERSON_RE = re.compile(
    rf"(?:(?P<role>{ROLE})\s+)?(?:{HONORIFIC}\s+)?(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,2}})\b"
)


class Resolver:
    """Names, surnames, roles and institutions of one article, plus people known from before."""

    def __init__(self, body: str, published: dt.date, known: dict[str, str | None] | None = None):
        self.published = published
        self.people: dict[str, Person] = {}
        self.known = dict(known or {})
        for person in actors.known_people():
            self.known.setdefault(person, None)
        for m in PERSON_RE.finditer(body):
            name = actors.canonical_name(m.group("name"))
            tokens = name.split()
            if any(t in STOP_TOKENS for t in tokens) or name in MEDIA or actors.institution_by_alias(name):
                continue
            person = self.people.setdefault(name, Person(name))
            if m.group("role"):
                person.roles.append(m.group("role"))
        self.by_token: dict[str, set[str]] = {}
        for name in list(self.people) + list(self.known):
            for token in name.split():
                self.by_token.setdefault(token, set()).add(name)

    def person(self, surface: str) -> str | None:
        """'David Lammy', 'Lammy', 'Mr Lammy', 'Sir Keir' -> canonical full name, if unambiguous."""
        surface = re.sub(rf"^{HONORIFIC}\s+", "", surface.strip())
        surface = actors.canonical_name(surface)
        if surface in self.people or surface in self.known:
            return surface
        tokens = surface.split()
        if len(tokens) != 1:
            return None
        in_article = {n for n in self.by_token.get(tokens[0], set()) if n in self.people}
        pool = in_article or self.by_token.get(tokens[0], set())
        return next(iter(pool)) if len(pool) == 1 else None

    def role_of(self, name: str, on: dt.date, stated: str | None = None) -> str | None:
        if stated:
            return actors.normalize_role(stated, name, on)
        person = self.people.get(name)
        if person and person.roles:
            return actors.normalize_role(person.roles[0], name, on)
        held = actors.offices_held(name, on)
        if held:
            return held[0]
        return self.known.get(name)

    def holder(self, role: str, on: dt.date) -> str | None:
        """Who in this article holds a role such as 'UK Foreign Secretary'; else the gazetteer's holder.

        A title without a country ('the Prime Minister') matches whoever in the article holds an
        office of that title.
        """
        bare = " " not in role or role.split(" ")[0] not in actors.gazetteer()["country_labels"].values()
        for name, person in self.people.items():
            roles = [actors.normalize_role(raw, name, on) for raw in person.roles]
            roles += actors.offices_held(name, on)
            for held in roles:
                if held in (role, f"former {role}") or (bare and held and held.endswith(" " + role)):
                    return name
        return actors.holder_of(role, on)


def _masked(text: str, start: int, para: Paragraph) -> str:
    """The text with quoted passages blanked, so names inside a quotation never become speakers."""
    chars = list(text)
    for qs, qe in para.quotes:
        for pos in range(max(qs - 1, start), min(qe + 1, start + len(text))):
            chars[pos - start] = " "
    return "".join(chars)


_FILLER = re.compile(
    r"^(?:[\s,]|has|have|had|was|were|is|are|also|even|still|again|then|further|now|yesterday|today|"
    r"on|at|this|last|week|earlier|later|night|morning|afternoon|evening|repeatedly|previously|recently|"
    r"already|once|[a-z]+ly|[A-Z][a-z]{2,8}\.?|\d{1,2})*$"
)


class Attributor:
    def __init__(self, body: str, published: dt.date, known: dict[str, str | None] | None = None):
        self.body = body
        self.published = published
        self.resolver = Resolver(body, published, known)
        self.paragraphs = paragraphs(body)
        self._verb = re.compile(rf"\b(?:{REPORTING_VERBS})\b")
        self._participle = re.compile(rf"\b(?:{PARTICIPLES})\b")
        self._according = re.compile(r"\b[Aa]ccording to\s+")
        self._statement = re.compile(
            rf"(?P<who>{NAME_TOKEN}(?:\s+{NAME_TOKEN})*)['’]s\s+(?P<when>(?:[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}\s+)?)(?:{STATEMENT_NOUNS})\s+that\b"
        )
        inst_aliases = [a for inst in actors.institutions() for a in inst.aliases + (inst.name,)]
        role_phrases = list(actors.gazetteer()["role_phrases"])
        self._inst = re.compile(rf"(?<![\w’'])(?:{_alternation(inst_aliases)})(?![\w’'])")
        self._role_np = re.compile(
            rf"(?i:\b(?:{_alternation(role_phrases)})\b)|\b[Tt]he\s+(?P<title>{ROLE})\b"
        )
        self.last_speaker: Mention | None = None

    # -- mentions -------------------------------------------------------------------------

    def mentions(self, text: str, offset: int, on: dt.date) -> list[Mention]:
        """Every speaker mention in `text` (already masked), as resolved speakers."""
        found: list[Mention] = []
        for m in self._role_np.finditer(text):
            if m.group("title"):
                role = actors.normalize_role(m.group("title"), None, on)
            else:
                role = actors.normalize_role(m.group(0), None, on)
            holder = self.resolver.holder(role, on) if role else None
            if holder:
                role = actors.normalize_role(m.group("title") or m.group(0), holder, on)
                found.append(Mention(offset + m.start(), offset + m.end(), holder, role, "person"))
        for m in PERSON_RE.finditer(text):
            name = self.resolver.person(m.group("name"))
            if name and not _overlaps(found, offset + m.start(), offset + m.end()):
                role = self.resolver.role_of(name, on, m.group("role"))
                found.append(Mention(offset + m.start(), offset + m.end(), name, role, "person"))
        for m in re.finditer(rf"(?:{HONORIFIC}\s+)?(?P<name>{NAME_TOKEN})(?![\w’'])", text):
            if _overlaps(found, offset + m.start(), offset + m.end()):
                continue
            name = self.resolver.person(m.group(0))
            if name:
                found.append(Mention(offset + m.start(), offset + m.end(), name, self.resolver.role_of(name, on), "person"))
        for m in self._inst.finditer(text):
            if _overlaps(found, offset + m.start(), offset + m.end()):
                continue
            inst = actors.institution_by_alias(m.group(0))
            if inst:
                found.append(Mention(offset + m.start(), offset + m.end(), inst.name, inst.role, "institution"))
        for m in re.finditer(r"\b(?:[Hh]e|[Ss]he)\b", text):
            found.append(Mention(offset + m.start(), offset + m.end(), "", None, "pronoun"))
        found.sort(key=lambda x: x.start)
        return found

    def _resolve_pronoun(self, mention: Mention, earlier: list[Mention]) -> Mention | None:
        people = [m for m in earlier if m.kind == "person"]
        if people:
            return people[-1]
        return self.last_speaker

    # -- attribution ----------------------------------------------------------------------

    def attribute(self, para: Paragraph, sent: Sentence) -> tuple[Mention, int, int] | None:
        """(speaker, start, end of the attribution clause) for a sentence, or None."""
        masked = _masked(sent.text, sent.start, para)
        on = self.published
        mentions = self.mentions(masked, sent.start, on)

        m = self._according.search(masked)
        if m:
            after = [x for x in mentions if x.start >= sent.start + m.end() and x.kind != "pronoun"]
            if after and after[0].start - (sent.start + m.end()) < 3:
                return after[0], sent.start + m.start(), after[0].end

        m = self._statement.search(masked)
        if m:
            words = m.group("who").split()
            name = next(filter(None, (self.resolver.person(" ".join(words[i:])) for i in range(len(words)))), None)
            if name:
                mention = Mention(sent.start + m.start(), sent.start + m.end("who"), name,
                                  self.resolver.role_of(name, on), "person")
                stated = re.search(rf"(?P<role>{ROLE})\s+$", masked[:m.start()])
                if stated:
                    mention.role = self.resolver.role_of(name, on, stated.group("role"))
                return mention, sent.start + m.start(), sent.start + m.end()

        for verb in self._verb.finditer(masked):
            vpos = sent.start + verb.start()
            before = [x for x in mentions if x.end <= vpos]
            if not before:
                continue
            subject = before[-1]
            gap = self.body[subject.end:vpos]
            if len(gap) > 40 or not _FILLER.match(gap):
                continue
            if subject.kind == "pronoun":
                subject = self._resolve_pronoun(subject, before[:-1])
                if subject is None:
                    continue
            if subject.speaker in MEDIA:
                continue
            return self._joint(subject, before), subject.start, sent.start + verb.end()

        m = self._participle.search(masked)
        if m and mentions:
            first = mentions[0]
            if first.start < sent.start + m.start() and first.kind != "pronoun":
                if len(mentions) > 1:
                    first = self._joint(mentions[1], mentions[:2])
                    if first is mentions[1]:
                        first = mentions[0]
                return first, first.start, sent.start + m.end()
        return None

    def _joint(self, subject: Mention, before: list[Mention]) -> Mention:
        """'Rubio and Witkoff … said' speaks for their government, not for the last-named."""
        idx = before.index(subject) if subject in before else -1
        if idx > 0:
            prev = before[idx - 1]
            between = self.body[prev.end:subject.start]
            if prev.kind == "person" and subject.kind == "person" and re.fullmatch(r"\s+and\s+", between):
                government = actors.government_of(prev.speaker, prev.role)
                inst = next((i for i in actors.institutions() if i.government == government and i.role in ("government", "Russian government")), None)
                if inst:
                    return Mention(prev.start, subject.end, inst.name, inst.role, "institution")
        return subject

    def statements(self) -> list[Attributed]:
        results: list[Attributed] = []
        previous_para_speaker: Mention | None = None
        previous_para_open = False  # previous paragraph ended with ':' or was an attributed quote
        for index, para in enumerate(self.paragraphs):
            if para.is_heading or para.is_caption:
                previous_para_speaker, previous_para_open = None, False
                continue
            para_attr: list[tuple[Sentence, Mention, int, int] | None] = []
            for sent in para.sentences:
                hit = self.attribute(para, sent)
                para_attr.append((sent, *hit) if hit else None)
                if hit:
                    self.last_speaker = hit[0]
            speakers = [a for a in para_attr if a]
            para_speaker = speakers[0][1] if speakers else None
            if para_speaker is None and para.is_pure_quote and previous_para_open and previous_para_speaker:
                para_speaker = previous_para_speaker
            for slot, sent in zip(para_attr, para.sentences):
                if NOT_CLAIM.search(sent.text):
                    continue
                if slot and sent.text.rstrip().endswith(":") and not _quote_overlaps(para, sent):
                    # "Mr Lammy reaffirmed …, stating:" frames the quotation that follows; the
                    # claim is the quotation, which inherits this speaker.
                    continue
                masked = _masked(sent.text, sent.start, para)
                if dates.is_dated_background(masked, self.published):
                    continue
                if slot:
                    _, speaker, clause_start, clause_end = slot
                elif para_speaker and _inside_quote(para, sent):
                    speaker, clause_start, clause_end = para_speaker, sent.start, sent.start
                else:
                    continue
                date = self._date(clause_start, clause_end) if slot else self.published
                qs, qe, direct = _quote_span(self.body, para, sent)
                alias = self.body[speaker.start:speaker.end] if speaker.kind != "pronoun" else ""
                results.append(Attributed(speaker.speaker, speaker.role, date, qs, qe, sent.start, sent.end, direct, index, alias))
            if para_speaker:
                ends_open = para.text.rstrip().endswith(":")
                previous_para_speaker = para_speaker
                previous_para_open = ends_open or bool(para.quotes) or bool(speakers)
            else:
                previous_para_speaker, previous_para_open = None, False
        return results

    def _date(self, clause_start: int, clause_end: int) -> dt.date:
        window = self.body[clause_start:min(clause_end + 30, len(self.body))]
        window = re.split(r"[,;:“\"]", window[max(0, clause_end - clause_start):], maxsplit=1)[0]
        head = self.body[clause_start:clause_end]
        return dates.resolve(head + " " + window, self.published) or self.published


def _overlaps(found: list[Mention], start: int, end: int) -> bool:
    return any(not (end <= m.start or start >= m.end) for m in found)


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


def _quote_span(body: str, para: Paragraph, sent: Sentence) -> tuple[int, int, bool]:
    """The direct quotation inside a sentence when it carries the statement, else the sentence."""
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
    lead = re.match(r"(?:But|And|However|Meanwhile|Despite that|Additionally|Yet|Still),?\s+", body[s:e])
    if lead:
        s += lead.end()
    lead_clause = OTHER_SPEAKER_LEAD.match(body, s, e)
    if lead_clause:
        s = lead_clause.end()
    other = OTHER_SPEAKER_CLAUSE.search(body, s, e)
    if other:
        # "Lammy warned … at a critical moment as the US said it could walk away": the US's words
        # are not Lammy's claim (and would read as his ultimatum to the checker).
        e = other.start()
    while e > s and body[e - 1] in " .":
        e -= 1
    return s, e, False
