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
from .actor_names import (
    GENERIC_ORGS, MEDIA, ORG_WORDS, Actor, acronyms_in, clean_person, entity_of, institution_in,
    one_edit, org_name, role_phrase, strip_the, titled_name,
)
from .coreference import Coreference

@dataclass
class Mention:
    pos: int
    actor: Actor
    subject: bool  # the grammatical subject of its clause: what a later pronoun most likely means


class ArticleActors(Coreference):
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
        self.acronyms = acronyms_in(body)
        # Organisations the entity model recognised somewhere in the article: where it misses one
        # elsewhere (after a dateline, in a headline-cased sentence), the name still counts.
        self.orgs = {strip_the(e.text) for _o, d in docs for e in d.ents if e.label_ == "ORG" and not MEDIA.search(e.text)}
        self.mentions: list[Mention] = []
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
                        role = role_phrase(ent)
                        if role:
                            self.people.setdefault(name, []).append(role)
        for offset, doc in docs:
            for tok in doc:
                # A name inside a quotation is talked about, not talking: no pronoun points at it.
                if tok.pos_ in ("PROPN", "NOUN") and not in_quote(offset + tok.idx):
                    inner = tok.dep_ in ("compound", "amod") and (tok.ent_type_ != "ORG" or tok.head.ent_iob_ == "I")
                    actor = None if inner else self._named(tok)
                    if actor and (actor.kind != "person" or tok.dep_ not in ("compound", "amod")):
                        self.mentions.append(Mention(offset + tok.idx, actor, tok.dep_ in ("nsubj", "nsubjpass")))

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
        found = {n for n in self.people if one_edit(n.split()[-1], surname)}
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
        inst = institution_in(tok)
        if inst:
            return Actor(inst.name, inst.role, "government" if inst.role == "government" else "institution")
        titled = titled_name(tok)
        if titled:  # "Finance Minister Ana Reyes", whatever entity type the tagger gave the surname
            name = self.person_name(titled)
            if name:
                return self.person(name)
        ent = entity_of(tok)
        org = org_name(tok)
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
            gov = actors.government_by_place(strip_the(ent.text))
            return Actor(gov.name, gov.role, "government") if gov else None
        if ent.label_ in ("ORG", "NORP") and not MEDIA.search(ent.text):
            name = strip_the(ent.text)
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
