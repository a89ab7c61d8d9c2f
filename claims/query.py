"""Parse free text such as `speaker:Lammy since:2025-01-01 Putin negotiations` into a search.

Shared by the Slack command and anything else that takes one line of user input. Problems come back
as a message for the user, never as an exception from deep inside SQLite.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .ledger import fts_terms

FILTERS = ("speaker", "since", "until", "kind")
KINDS = ("pledge", "position", "figure", "prediction", "denial")
MAX_QUERY_CHARS = 500


@dataclass
class Query:
    words: str = ""
    speaker: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.words.strip() or self.speaker or self.since or self.until or self.kind)


_FILTER = re.compile(r'(?P<key>[A-Za-z_]+):(?:"(?P<quoted>[^"]*)"|(?P<value>\S*))')


def parse(text: str) -> Query:
    query = Query()
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        query.notes.append(f"Your query was {len(text):,} characters; only the first {MAX_QUERY_CHARS} were used.")
        text = text[:MAX_QUERY_CHARS]
    rest = []
    last = 0
    for m in _FILTER.finditer(text):
        key = m.group("key").lower()
        if key in ("http", "https"):
            continue
        rest.append(text[last:m.start()])
        last = m.end()
        value = (m.group("quoted") if m.group("quoted") is not None else m.group("value")).strip()
        if key not in FILTERS:
            query.problems.append(f"Unknown filter `{key}:`. Known filters: " + ", ".join(f"`{f}:`" for f in FILTERS) + ".")
            continue
        if not value:
            query.problems.append(f"`{key}:` needs a value, e.g. `{key}:{_example(key)}`.")
            continue
        if key in ("since", "until"):
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                query.problems.append(f"`{key}:{value}` is not a date; write it as YYYY-MM-DD.")
                continue
        if key == "kind" and value.lower() not in KINDS:
            query.problems.append(f"`kind:{value}` is not a kind; use one of {', '.join(KINDS)}.")
            continue
        setattr(query, key, value.lower() if key == "kind" else value)
    rest.append(text[last:])
    query.words = " ".join("".join(rest).split())
    if query.words and not fts_terms(query.words) and not query.problems:
        # `" * AND ( )` would otherwise list the newest claims as if they matched something.
        query.problems.append("No searchable words in your query: operators and punctuation alone match nothing.")
    return query


def _example(key: str) -> str:
    return {"speaker": "Lammy", "since": "2025-01-01", "until": "2025-12-31", "kind": "pledge"}[key]
