"""The actors of one article: who its names, pronouns and generic nouns refer to.

Built from the parsed sentences: every person the article names (full name, the roles it gives
them: "Finance Minister Ana Reyes", "Mara Holm, the bank's governor"), every organisation and
government. `resolve` turns the subject of a reporting verb into an actor or None: a person entity,
a gazetteer institution ("the MPC", "China's Commerce Ministry"), an organisation entity, a country
or capital acting as its government ("Beijing", "Canada"), a pronoun or a generic noun ("the
company", "the Chancellor", "the ministry") bound to the last actor of that sort the article named.
Nothing else is an actor, so a war, a market or a date never speaks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import actors

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "baron", "rep", "sen", "gov", "prof", "rev"}
# Words of a title that spaCy sometimes folds into a person entity ("CEO Mara Holm").
TITLE_TOKENS = {
    "ceo", "chancellor", "president", "governor", "director", "officer", "prime", "minister", "secretary",
    "chairman", "chairwoman", "chair", "chief", "executive", "leader", "premier", "mayor", "senator",
    "representative", "spokesman", "spokeswoman", "spokesperson", "head", "boss", "founder", "commissioner",
    "general", "mp", "mep", "former", "deputy", "vice", "shadow", "acting", "interim", "king", "queen",
}
# Nouns a reporter uses for the person just named ("the billionaire", "the tycoon").
PERSON_NOUNS = {"billionaire", "tycoon", "entrepreneur", "businessman", "businesswoman", "politician", "lawmaker"}
ROLE_NOUNS = TITLE_TOKENS - {"former", "deputy", "vice", "shadow", "acting", "interim", "general", "prime"}
GENERIC_ORGS = {
    "company": "org", "firm": "org", "group": "org", "business": "org", "giant": "org", "major": "org",
    "carmaker": "org", "automaker": "org", "producer": "org", "maker": "org", "lender": "org", "retailer": "org",
    "bank": "bank", "committee": "committee", "ministry": "ministry", "department": "ministry",
    "government": "government", "administration": "government", "watchdog": "org", "regulator": "org",
    "agency": "org", "commission": "org", "council": "org", "board": "org", "party": "party", "treasury": "ministry",
}
# The last word of an organisation's name: "Coastal Research Unit", "Harbour Workers Foundation".
ORG_WORDS = {
    "unit", "institute", "foundation", "association", "council", "committee", "office", "agency", "bank",
    "ministry", "department", "party", "group", "company", "corporation", "inc", "ltd", "plc", "commission",
    "authority", "union", "federation", "board", "fund", "organisation", "organization", "forum", "centre",
    "center", "trust", "society", "confederation", "chamber", "service", "administration", "government",
}
# Common nouns that describe an organisation named beside them ("the CRI think tank", "energy company
# Norvik"); "the Skyferry service" names a product, not a speaker.
ORG_DESCRIPTORS = {
    "tank", "company", "firm", "group", "giant", "major", "producer", "maker", "carmaker", "automaker", "lender",
    "bank", "watchdog", "regulator", "body", "agency", "union", "party", "committee", "ministry", "department",
    "organisation", "organization", "institute", "board", "council", "government", "administration", "charity",
    "campaign", "association", "federation", "operator", "supplier", "retailer", "insurer", "airline", "broadcaster",
}
MEDIA = re.compile(
    r"\b(?:News|Times|Post|Journal|Reuters|Bloomberg|Associated Press|AP|AFP|BBC|CNN|Guardian|Telegraph|"
    r"Politico|Express|Mail|Sky|Press|Herald|Tribune|Gazette|Radio|TV|Television|Agency|Xinhua|Axios|CNBC|NBC|"
    r"ABC|CBS|Fox|MSNBC|NPR|ITV|Channel \d|Financial Times|Economist|Forbes|Fortune|Newsweek)\b"
)
# A subject that is one of these is not a named actor: anonymous sourcing is no claim.
ANONYMOUS = {
    "source", "sources", "official", "officials", "insider", "insiders", "aide", "aides", "analyst", "analysts",
    "economist", "economists", "expert", "experts", "critic", "critics", "observer", "observers", "people",
    "someone", "many", "some", "others", "investor", "investors", "trader", "traders", "market", "markets",
}
# Nouns for people who speak for the organisation their "of" phrase names.
GROUP_OF = {"members", "member", "officials", "official", "representatives", "representative", "executives",
            "spokesperson", "spokesman", "spokeswoman", "leaders", "leadership"}
PRONOUN_KINDS = {"he": ("person",), "she": ("person",), "him": ("person",), "her": ("person",),
                 "it": ("institution", "government", "org"), "they": ("institution", "government", "org")}


@dataclass(frozen=True)
class Actor:
    name: str
    role: str | None
    kind: str  # person | institution | government | org


@dataclass
class _Mention:
    pos: int
    actor: Actor
    subject: bool  # the grammatical subject of its clause: what a later pronoun most likely means


class ArticleActors:
    def __init__(self, body: str, published: dt.date, known: dict[str, str | None] | None, docs,
                 in_quote=lambda pos: False):
        self.published = published
        self.body = body
        # Per-name answers that search the whole body, asked once per name: hostile input can
        # repeat one name thousands of times.
        self._full_names: dict[str, str | None] = {}
        self._org_names: dict[str, bool] = {}
        self.known = dict(known or {})
        for person in actors.known_people():
            self.known.setdefault(person, None)
        self.people: dict[str, list[str]] = {}  # full name -> raw role phrases, in article order
        self.acronyms = _acronyms(body)
        # Organisations the entity model recognised somewhere in the article: where it misses one
        # elsewhere (after a dateline, in a headline-cased sentence), the name still counts.
        self.orgs = {_strip_the(e.text) for _o, d in docs for e in d.ents if e.label_ == "ORG" and not MEDIA.search(e.text)}
        self.mentions: list[_Mention] = []
        for offset, doc in docs:
            for ent in doc.ents:
                if ent.label_ == "PERSON":
                    name = clean_person(ent.text)
                    if name and len(name.split()) >= 2:
                        self.people.setdefault(name, [])
        for name in list(self.people):  # "Defiant Ana Reyes" in a headline is Ana Reyes
            tokens = name.split()
            if any(" ".join(tokens[k:]) in self.people for k in range(1, len(tokens) - 1)):
                del self.people[name]
        for offset, doc in docs:
            for ent in doc.ents:
                if ent.label_ == "PERSON":
                    name = self.person_name(ent.text)
                    if name:
                        role = _role_phrase(ent)
                        if role:
                            self.people.setdefault(name, []).append(role)
        for offset, doc in docs:
            for tok in doc:
                # A name inside a quotation is talked about, not talking: no pronoun points at it.
                if tok.pos_ in ("PROPN", "NOUN") and not in_quote(offset + tok.idx):
                    inner = tok.dep_ in ("compound", "amod") and (tok.ent_type_ != "ORG" or tok.head.ent_iob_ == "I")
                    actor = None if inner else self._named(tok)
                    if actor and (actor.kind != "person" or tok.dep_ not in ("compound", "amod")):
                        self.mentions.append(_Mention(offset + tok.idx, actor, tok.dep_ in ("nsubj", "nsubjpass")))

    # -- names -------------------------------------------------------------------------------

    def person_name(self, surface: str) -> str | None:
        """'Ana Reyes', 'Reyes', 'Ms Reyes', 'Finance Minister Ana Reyes' -> 'Ana Reyes';
        'Sir Tom' -> 'Tom Hale' (a knight is called by his first name, so a lone first name
        counts when no surname matches)."""
        name = clean_person(surface)
        if not name:
            return None
        if name in self.people or name in self.known:
            return name
        tokens = name.split()
        for k in range(1, len(tokens) - 1):  # "Defiant Ana Reyes" in a title-cased headline
            if " ".join(tokens[k:]) in self.people or " ".join(tokens[k:]) in self.known:
                return " ".join(tokens[k:])
        if len(tokens) == 1:
            for position in (-1, 0):
                for pool in (self.people, self.known):
                    found = {n for n in pool if n.split()[position] == name}
                    if len(found) == 1:
                        return next(iter(found))
                    if found:
                        return None
            return self._full_name_in_body(name) or self._misspelt(name)
        return name

    def _misspelt(self, surname: str) -> str | None:
        """'Auchinlos' for 'Auchinclos': one letter off the surname of exactly one person the
        article names (news copy has typos); short names are too easily confused."""
        if len(surname) < 6:
            return None
        found = {n for n in self.people if _one_edit(n.split()[-1], surname)}
        return next(iter(found)) if len(found) == 1 else None

    def _full_name_in_body(self, surname: str) -> str | None:
        """'Murphy' -> 'Luke Murphy' when the article writes the full name somewhere the entity
        model did not tag as a person."""
        if surname not in self._full_names:
            self._full_names[surname] = self._find_full_name(surname)
        return self._full_names[surname]

    def _find_full_name(self, surname: str) -> str | None:
        found = {clean_person(m.group(0)) for m in re.finditer(
            rf"\b(?:[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?\s+){{1,2}}{re.escape(surname)}\b", self.body)}
        found = {n for n in found if n and len(n.split()) >= 2 and n.split()[-1] == surname}
        return next(iter(found)) if len(found) == 1 else None

    def role_of(self, name: str) -> str | None:
        raw = self.people.get(name) or []
        if raw:
            return actors.normalize_role(raw[0], name, self.published)
        held = actors.offices_held(name, self.published)
        return held[0] if held else self.known.get(name)

    def person(self, name: str) -> Actor:
        return Actor(name, self.role_of(name), "person")

    # -- resolution --------------------------------------------------------------------------

    def _named(self, tok) -> Actor | None:
        """An actor named by a proper noun phrase headed by `tok`, without context."""
        inst = _institution_in(tok)
        if inst:
            return Actor(inst.name, inst.role, "government" if inst.role == "government" else "institution")
        titled = _titled_name(tok)
        if titled:  # "Finance Minister Ana Reyes", whatever entity type the tagger gave the surname
            name = self.person_name(titled)
            if name:
                return self.person(name)
        ent = _entity(tok)
        org = _org_name(tok)
        if org and not (ent is not None and ent.label_ == "PERSON"):
            return Actor(self.acronyms.get(org, org), None, "org")
        if ent is None:
            # The tagger sometimes takes an unusual surname for a noun ("Okonjo stated"): a
            # capitalised word that is the surname of a person the article names still counts.
            if tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.text[:1].isupper()):
                name = self.person_name(tok.text)
                if name and (name in self.people or name in self.known):
                    return self.person(name)
            if tok.pos_ == "PROPN":
                if tok.text in self.orgs and self._org_name_ok(tok.text):
                    return Actor(self.acronyms.get(tok.text, tok.text), None, "org")
            return None
        if ent.label_ == "PERSON":
            name = self.person_name(ent.text)
            return self.person(name) if name else None
        as_person = self.person_name(ent.text) if ent.label_ in ("ORG", "NORP", "GPE") else None
        if as_person and (as_person in self.people or as_person in self.known):
            return self.person(as_person)  # the entity model took a person for an organisation
        if ent.label_ == "GPE":
            gov = actors.government_by_place(_strip_the(ent.text))
            return Actor(gov.name, gov.role, "government") if gov else None
        if ent.label_ in ("ORG", "NORP") and not MEDIA.search(ent.text):
            name = _strip_the(ent.text)
            if name in self.acronyms:
                if self.acronyms[name].split()[-1].lower() not in ORG_WORDS:
                    return None  # "Full Self-Driving (FSD)" names a product, not an organisation
                name = self.acronyms[name]
            if self._org_name_ok(name):
                return Actor(name, None, "org")
        return None

    def _org_name_ok(self, name: str) -> bool:
        """Not a common noun capitalised ("the Budget", "Skyferry", "the Government"), a number or
        a country."""
        if name not in self._org_names:
            self._org_names[name] = self._org_name_checked(name)
        return self._org_names[name]

    def _org_name_checked(self, name: str) -> bool:
        if not name or re.search(r"[\d/]", name) or name.lower() in GENERIC_ORGS or actors.country_of_word(name):
            return False
        return " " in name or name.isupper() or not re.search(rf"(?<![\w-]){re.escape(name.lower().rstrip('s'))}(?:e?s)?(?![\w-])", self.body)

    def resolve_subject(self, tok, offset: int) -> Actor | None:
        """Like `resolve`, for the subject of a reporting verb, which may name several actors:
        officials of one government speak for it ("Rubio and Witkoff pulled out" is the US
        government's act); actors of different groups together are no one speaker."""
        conj = [c for c in tok.subtree if c.dep_ == "conj" and c.head.i == tok.i]
        first = self.resolve(tok, offset)
        if not conj or first is None:
            return first
        group = {actors.government_of(first.name, first.role) if first.kind == "person" else first.name}
        for other in conj:
            actor = self.resolve(other, offset)
            if actor is None:
                return None
            group.add(actors.government_of(actor.name, actor.role) if actor.kind == "person" else actor.name)
        group.discard(None)  # an official whose government is unknown does not break the group
        if len(group) == 1 and first.kind == "person":
            inst = actors.government_institution(next(iter(group)))
            if inst:
                return Actor(inst.name, inst.role, "government")
        return None

    def joint_people(self, tok, offset: int) -> list[Actor]:
        """People of different groups named together as one subject ("both Lund and Chancellor
        Hale pointed out"): each makes the statement."""
        conj = [c for c in tok.subtree if c.dep_ == "conj" and c.head.i == tok.i]
        found = [self.resolve(t, offset) for t in [tok] + conj]
        if len(found) < 2 or any(a is None or a.kind != "person" for a in found):
            return []
        return list(dict.fromkeys(found))

    def resolve(self, tok, offset: int) -> Actor | None:
        """The actor the subject token `tok` (in a sentence at body offset `offset`) refers to."""
        pos = offset + tok.idx
        lower = tok.lower_
        if tok.pos_ == "PRON":
            kinds = PRONOUN_KINDS.get(lower)
            return self._last(pos, kinds) if kinds else None
        if lower in GROUP_OF:  # "members of the monetary policy committee", "officials from the ministry"
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "at"):
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    named = self._named(obj) if obj is not None else None
                    if named and named.kind != "person":
                        return named
        if lower in ANONYMOUS or tok.lemma_.lower() in ANONYMOUS:
            return None
        # "Coastal Research Group chair Mara Holm said", parsed with the group as the subject:
        # a person named right after a title inside the subject phrase is the speaker.
        doc = tok.doc
        for ent in doc.ents:
            if (ent.label_ == "PERSON" and tok.left_edge.i <= ent.start <= tok.right_edge.i and ent.start > 0
                    and doc[ent.start - 1].lower_ in ROLE_NOUNS):
                name = self.person_name(ent.text)
                if name:
                    return self.person(name)
        for child in tok.children:  # "The bank's governor, Mara Holm, said"
            if child.dep_ == "appos":
                ent = _entity(child)
                if ent is not None and ent.label_ == "PERSON":
                    name = self.person_name(ent.text)
                    if name:
                        return self.person(name)
        named = self._named(tok)
        if named:
            return named
        the = any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        if the and (lower in PERSON_NOUNS or (tok.text[:1].isupper() and actors.country_of_word(tok.text))):
            return self._last(pos, ("person",))  # "the billionaire also highlighted …", "The Canadian, …, has"
        if lower in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS:
            for child in tok.children:  # "a spokesperson for the regional assembly"
                if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    named = self._named(obj) if obj is not None else None
                    if named:
                        return named
            for child in tok.children:  # "Norvik's chief executive", "the bank's governor"
                owner = self._named(child) if child.dep_ == "poss" else None
                if owner and owner.kind != "person":
                    holder = self._holder(lower, pos, owner.name)
                    if holder:
                        return holder
            phrase = " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ in ("compound", "amod") or t.i == tok.i)
            holder = self._holder_of_role(phrase, pos) or self._holder(lower, pos)
            if holder:
                return holder
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in ORG_DESCRIPTORS:  # "the ECIU think tank", "energy company BP"
            for child in tok.children:
                if child.dep_ in ("compound", "nmod", "appos") and child.pos_ == "PROPN":
                    named = self._named(child)
                    if named and named.kind != "person":
                        return named
        generic = GENERIC_ORGS.get(tok.lemma_.lower())
        if generic and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
            for child in tok.children:  # "the Lund administration", "China's government"
                if child.dep_ in ("compound", "poss"):
                    named = self._named(child)
                    if named and named.kind == "person":
                        gov = actors.government_of(named.name, named.role)
                        inst = actors.government_institution(gov) if gov else None
                        if inst:
                            return Actor(inst.name, inst.role, "government")
                    elif named:
                        return named
            return self._last_generic(pos, generic)
        return None

    def _last(self, pos: int, kinds) -> Actor | None:
        """The last actor of these kinds that was the subject of a clause before `pos` ("Reyes
        said … Lund's tariffs … She added" is Reyes), else the last one mentioned at all."""
        earlier = [m for m in self.mentions if m.pos < pos and m.actor.kind in kinds]
        subjects = [m for m in earlier if m.subject]
        pick = (subjects or earlier or [None])[-1]
        return pick.actor if pick else None

    def _last_generic(self, pos: int, generic: str) -> Actor | None:
        """'the company', 'the ministry', 'the government': the organisation of that sort the
        article has named most often so far (its protagonist), the latest on a tie."""
        fits = []
        earlier = [m.actor for m in self.mentions if m.pos < pos and m.actor.kind != "person"]
        if generic == "government":
            fits = [a for a in earlier if a.kind == "government"]
        elif generic == "org":
            fits = [a for a in earlier if a.kind in ("org", "institution")]
        else:  # 'the ministry' is a ministry before it is a department or a treasury
            for word in {"ministry": ("ministry", "department", "treasury")}.get(generic, (generic,)):
                fits = fits or [a for a in earlier if word in a.name.lower()]
        if not fits and generic == "government":
            # "The Government insisted …" before any government is named: the government of the
            # official the article last quoted.
            official = self._last(pos, ("person",))
            gov = actors.government_of(official.name, official.role) if official else None
            inst = actors.government_institution(gov) if gov else None
            return Actor(inst.name, inst.role, "government") if inst else None
        if not fits:
            return None
        # Organisations that have spoken so far come first: "the company" is the one quoted, not
        # a product named as often.
        spoke = {m.actor for m in self.mentions if m.pos < pos and m.subject}
        counts = {a: fits.count(a) + (100 if a in spoke else 0) for a in fits}
        return max(reversed(fits), key=lambda a: counts[a])

    def _holder_of_role(self, phrase: str, pos: int) -> Actor | None:
        """'Foreign Secretary' -> the person the article or the gazetteer gives that office."""
        if " " not in phrase:
            return None
        role = actors.normalize_role(phrase, None, self.published)
        for m in reversed(self.mentions):
            if m.pos < pos and m.actor.kind == "person" and (
                    m.actor.role == role or any(phrase.lower() in r.lower() for r in self.people.get(m.actor.name, []))):
                return m.actor
        holder = actors.holder_of(role, self.published) if role else None
        return self.person(holder) if holder else None

    def _holder(self, title: str, pos: int, of: str | None = None) -> Actor | None:
        """The person the article last gave a role with this title word ('the Chancellor',
        'the chief executive'), optionally of one organisation ('BP's chief executive')."""
        for m in reversed(self.mentions):
            if m.pos >= pos or m.actor.kind != "person":
                continue
            roles = [r.lower() for r in self.people.get(m.actor.name, [])] + [(m.actor.role or "").lower()]
            if any(title in r and (of is None or of.lower() in r) for r in roles):
                return m.actor
        return None


def clean_person(surface: str) -> str | None:
    """A person's name without titles, honorifics, possessive or stray tokens; None if it is not one."""
    text = re.sub(r"[’']s$", "", surface.strip()).strip(" ,.")
    if re.search(r"\d|\band\b|&|,|/", text):
        return None
    tokens = text.split()
    # "Finance Minister Ana Reyes": everything up to the last title word before the name goes.
    titled = [i for i, t in enumerate(tokens[:-1]) if t.lower().strip(".") in TITLE_TOKENS]
    if titled and len(tokens) - titled[-1] - 1 >= 1:
        tokens = tokens[titled[-1] + 1:]
    while tokens and (tokens[0].lower().strip(".") in HONORIFICS | TITLE_TOKENS or not tokens[0][:1].isupper()
                      or "." in tokens[0][:-1] or actors.country_of_word(tokens[0])
                      or re.fullmatch(r"[IVX]+", tokens[0])):
        tokens.pop(0)
    while tokens and tokens[-1].lower().strip(".") in TITLE_TOKENS:
        tokens.pop()
    if not tokens or not all(t[:1].isupper() for t in tokens):
        return None
    return actors.canonical_name(" ".join(tokens))


def _titled_name(tok) -> str | None:
    """'Finance Minister Ana Reyes' headed by 'Reyes': a title, then at least two capitalised
    words ending at `tok`: a person, named with their office."""
    if tok.pos_ != "PROPN":
        return None
    chain = [t for t in tok.doc[tok.left_edge.i:tok.i + 1] if t.dep_ in ("compound", "nmod") or t.i == tok.i]
    if len(chain) != tok.i - tok.left_edge.i + 1 or len(chain) < 3:
        return None
    words = [t.text for t in chain]
    titles = [i for i, w in enumerate(words) if w.lower().strip(".") in TITLE_TOKENS]
    if not titles or len(words) - titles[-1] - 1 < 2 or not all(w[:1].isupper() for w in words[titles[-1] + 1:]):
        return None
    return " ".join(words[titles[-1] + 1:])


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, deleted or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _org_name(tok) -> str | None:
    """An organisation's name written out as a chain of capitalised words ending in an
    organisation word ("the Coastal Research Unit"), headed by `tok`."""
    if tok.pos_ != "PROPN" or tok.lower_ not in ORG_WORDS:
        return None
    words = [t for t in tok.subtree if t.i <= tok.i and t.i >= tok.left_edge.i]
    while words and not (words[0].pos_ == "PROPN" and words[0].text[:1].isupper()):
        words.pop(0)
    if len(words) < 2 or any(not (t.text[:1].isupper() or t.lower_ in ("and", "for", "of", "on", "&"))
                             for t in words):
        return None
    return tok.doc[words[0].i:tok.i + 1].text


def _acronyms(body: str) -> dict[str, str]:
    """'Coastal Research Institute (CRI)' -> {'CRI': 'Coastal Research Institute'}."""
    found = {}
    for m in re.finditer(r"((?:[A-Z][\w’'&-]*\s+(?:(?:and|for|of|on|the|&)\s+)*){1,8})\(([A-Z][A-Za-z]{1,7})\)", body):
        words = [w for w in m.group(1).split() if w[:1].isupper()]
        acronym = m.group(2)
        for k in range(len(words)):
            hyphens = "".join(part[:1] for w in words[k:] for part in w.split("-"))  # "Self-Driving" -> SD
            if acronym.upper() in ("".join(w[0] for w in words[k:]).upper(), hyphens.upper()):
                full = m.group(1).strip()
                full = full[full.index(words[k]):]
                found[acronym] = _strip_the(full)
                break
    return found


def _strip_the(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r",?\s+(?:Inc|Ltd|plc|PLC|Corp|LLC)\.?$", "", text)
    return re.sub(r"^(?:the|The)\s+", "", text).strip(" ,.")


def _entity(tok):
    if not tok.ent_type_:
        return None
    return next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)


def _institution_in(tok):
    """A gazetteer institution whose alias covers the head token `tok` in its noun phrase."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i + 1
    while right < len(doc) and doc[right].dep_ in ("compound", "flat", "appos") and doc[right].head.i == tok.i \
            and doc[right].text not in ",(":
        right += 1
    span = doc[left:right]
    head_start = tok.idx - span.start_char
    for inst, start, end in actors.find_institutions(span.text):
        if start <= head_start < end or (tok.pos_ == "PROPN" and end >= len(span.text) - 3):
            return inst
    return None


def _role_phrase(ent) -> str | None:
    """The title the article gives a person: 'Finance Minister' in 'Finance Minister Ana Reyes', 'the Bank's
    governor' in 'Mara Holm, the bank's governor' or 'The bank's governor, Mara Holm'."""
    doc = ent.doc
    head = ent.root
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 5 and doc[i].dep_ in ("compound", "amod", "nmod") and (
            doc[i].text[:1].isupper() or doc[i].lower_ in TITLE_TOKENS):
        i -= 1
    before = doc[i + 1:ent.start]
    if len(before) and not all(t.lower_.strip(".") in HONORIFICS for t in before):
        return before.text
    inside = [t for t in ent if t.lower_.strip(".") in TITLE_TOKENS]
    if inside and inside[0].i == ent.start:
        return doc[ent.start:inside[-1].i + 1].text
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return doc[child.left_edge.i:child.i + 1].text
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        noun = head.head
        return doc[noun.left_edge.i:noun.i + 1].text
    return None
