"""The forms an actor's name takes in news text: titles and honorifics around a person's name,
the words that end an organisation's name or describe one, generic nouns and pronouns that stand
for an actor named before, and the helpers that read them off a parse."""

from __future__ import annotations

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


def titled_name(tok) -> str | None:
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


def one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, deleted or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def org_name(tok) -> str | None:
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


def acronyms_in(body: str) -> dict[str, str]:
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
                found[acronym] = strip_the(full)
                break
    return found


def strip_the(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r",?\s+(?:Inc|Ltd|plc|PLC|Corp|LLC)\.?$", "", text)
    return re.sub(r"^(?:the|The)\s+", "", text).strip(" ,.")


def entity_of(tok):
    if not tok.ent_type_:
        return None
    return next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)


def institution_in(tok):
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


def role_phrase(ent) -> str | None:
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
