"""Who a pronoun, a generic noun ("the company", "the ministry") or a bare title ("the
Chancellor", "the bank's governor") refers to: the actor the article named before that fits.
A part of `ArticleActors`, kept apart so each reads on its own."""

from __future__ import annotations

from . import actors
from .actor_names import (
    ANONYMOUS, GENERIC_ORGS, GROUP_OF, ORG_DESCRIPTORS, PERSON_NOUNS, PRONOUN_KINDS, ROLE_NOUNS, Actor, entity_of,
)


class Coreference:
    """Needs from its host: `mentions`, `people`, `published`, `person_name`, `person`, `_named`."""

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
                ent = entity_of(child)
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
