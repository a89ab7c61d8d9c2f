"""Who is who: institutions, office titles, office holders, and which government a speaker speaks for.

The gazetteer in `data/actors.json` is newsroom knowledge, not seed tuning: unknown people still get
their names and roles from the article text, and the ledger remembers them for later articles.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "actors.json"


@dataclass(frozen=True)
class Institution:
    name: str
    role: str
    government: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def gazetteer() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def institutions() -> tuple[Institution, ...]:
    return tuple(
        Institution(i["name"], i["role"], i["government"], tuple(i["aliases"]))
        for i in gazetteer()["institutions"]
    )


@lru_cache(maxsize=16384)
def institution_by_alias(surface: str) -> Institution | None:
    key = _fold(surface)
    for inst in institutions():
        if key == _fold(inst.name) or any(key == _fold(a) for a in inst.aliases):
            return inst
    return None


def institution_by_name(name: str) -> Institution | None:
    for inst in institutions():
        if inst.name == name:
            return inst
    return None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


@lru_cache(maxsize=1)
def _country_words() -> dict[str, str]:
    words = {}
    for country, variants in gazetteer()["countries"].items():
        for variant in variants:
            words[_fold(variant)] = country
    return words


def country_of_word(word: str) -> str | None:
    return _country_words().get(_fold(word))


def normalize_role(raw: str | None, speaker: str | None = None, on: dt.date | None = None) -> str | None:
    """'U.K. Foreign Minister' -> 'UK Foreign Secretary'; 'former US President' stays 'former'.

    A bare title ('Foreign Secretary', 'President') takes its country from the office the speaker
    holds on that date, if known, else from the title's usual country.
    """
    if not raw:
        return None
    text = re.sub(r"\s+", " ", raw.replace("’", "'")).strip().strip(",")
    phrases = {_fold(k): v for k, v in gazetteer()["role_phrases"].items()}
    if _fold(text) in phrases:
        return phrases[_fold(text)]
    former = ""
    m = re.match(r"(?i)(former|ex-|then-)\s*", text)
    if m:
        former = "former " if m.group(1).lower() in ("former", "ex-") else ""
        text = text[m.end():]
    country = None
    words = text.split(" ")
    if words and country_of_word(words[0]):
        country = country_of_word(words[0])
        text = " ".join(words[1:])
    titles = gazetteer()["titles"]
    title = titles.get(text.lower().replace("’", "'"))
    if title is None:
        return (former + raw.strip()) if former else raw.strip()
    if country is None and speaker:
        held = offices_held(speaker, on)
        for office in held:
            if office.endswith(" " + title):
                country = office[: -len(title) - 1]
                country = {v: k for k, v in gazetteer()["country_labels"].items()}.get(country, country)
                break
    if country is None:
        country = gazetteer()["title_default_country"].get(title)
    label = gazetteer()["country_labels"].get(country, country) if country else None
    role = f"{label} {title}" if label else title
    role = gazetteer()["title_synonyms"].get(role, role)
    return former + role


def offices_held(name: str, on: dt.date | None) -> list[str]:
    held = []
    for office, holders in gazetteer()["office_holders"].items():
        for h in holders:
            if h["name"] != name:
                continue
            if on is None or (
                dt.date.fromisoformat(h["from"]) <= on
                and (h["to"] is None or on < dt.date.fromisoformat(h["to"]))
            ):
                held.append(office)
    return held


def holder_of(office: str, on: dt.date) -> str | None:
    for h in gazetteer()["office_holders"].get(office, []):
        if dt.date.fromisoformat(h["from"]) <= on and (h["to"] is None or on < dt.date.fromisoformat(h["to"])):
            return h["name"]
    return None


def canonical_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    return gazetteer()["name_variants"].get(name, name)


def known_people() -> set[str]:
    people = set()
    for holders in gazetteer()["office_holders"].values():
        people.update(h["name"] for h in holders)
    return people


@lru_cache(maxsize=16384)
def government_of(speaker: str, role: str | None) -> str | None:
    """The group a speaker speaks for, for grouping claims across people: a government, a
    central bank, a company, a party.

    Successive holders of one office share it, which is how a 2025 Lammy claim and a 2026
    Cooper claim end up compared; a chief executive speaks for the company the role names
    ("Norvik chief executive", "chief executive of Norvik"), a governor for the bank; an organisation
    that is not in the gazetteer is its own group.
    """
    inst = institution_by_name(speaker)
    if inst:
        return inst.government
    labels = {v: k for k, v in gazetteer()["country_labels"].items()}

    def offices():  # the role the article gives, then (only if needed) the offices the gazetteer knows
        if role:
            yield re.sub(r"^former ", "", role)
        yield from offices_held(speaker, None)

    for office in offices():
        group = labels.get(office.split(" ")[0]) or org_in_role(office)
        if group:
            return group
    if speaker and " " not in speaker.strip() or (role is None and speaker.endswith(("government", "Government"))):
        return speaker  # an organisation by itself ("Norvik", "Acme")
    return None


_ROLE_WORDS = {"chief", "executive", "officer", "ceo", "chair", "chairman", "chairwoman", "governor", "head",
               "leader", "president", "director", "founder", "spokesperson", "spokesman", "spokeswoman", "of",
               "the", "deputy", "former", "interim", "acting", "senior", "boss", "secretary", "minister"}


def org_in_role(role: str) -> str | None:
    """'Norvik chief executive', "Norvik's chief executive", 'chief executive of Acme', 'head of the Audit Office',
    'Bank of England Governor' -> the organisation's group."""
    for inst, _start, _end in find_institutions(role):
        return inst.government
    words = [w for w in re.findall(r"[A-Z][\w&.-]*(?:['’]s)?", role)]
    names = [re.sub(r"['’]s$", "", w) for w in words if w.lower().strip(".") not in _ROLE_WORDS
             and not country_of_word(re.sub(r"['’]s$", "", w)) and w not in gazetteer()["titles"].values()]
    surnames = {person.split()[-1] for person in known_people()}
    # "Lund's special envoy" names a person's envoy, not an organisation.
    names = [n for n in names if n.lower() not in gazetteer()["titles"] and n not in surnames]
    return " ".join(names) if names else None


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern, dict[str, Institution]]:
    """One regex over every institution alias, longest first. Several-word aliases match in any
    case ("monetary policy committee"); one-word aliases only as written ("MPC", "Beijing")."""
    by_alias: dict[str, Institution] = {}
    for inst in institutions():
        for alias in (inst.name,) + inst.aliases:
            by_alias.setdefault(_fold(alias), inst)
    parts = []
    for alias in sorted({a for i in institutions() for a in (i.name,) + i.aliases}, key=len, reverse=True):
        escaped = "".join("['’]" if ch in "'’" else re.escape(ch) for ch in alias)
        parts.append(f"(?i:{escaped})" if " " in alias else escaped)
    return re.compile(r"(?<![\w’'])(?:" + "|".join(parts) + r")(?![\w’'])"), by_alias


def find_institutions(text: str) -> list[tuple[Institution, int, int]]:
    """Every institution alias in `text`, with its character span."""
    pattern, by_alias = _alias_pattern()
    return [(by_alias[_fold(m.group(0))], m.start(), m.end()) for m in pattern.finditer(text)
            if _fold(m.group(0)) in by_alias]


def government_by_place(place: str) -> Institution | None:
    """The government a country or capital stands for when it acts ('Beijing', 'Canada')."""
    inst = institution_by_alias(place) or institution_by_alias("the " + place)
    return inst if inst and inst.role in ("government", "Russian government") else None


def government_institution(government: str) -> Institution | None:
    """The institution that speaks as a whole government ('US' -> 'US government')."""
    return next((i for i in institutions() if i.government == government and i.role in ("government", "Russian government")), None)
