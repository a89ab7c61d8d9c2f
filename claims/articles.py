"""Article intake: the header+body file format, plain text with a given date, JSONL, folders.

Every reader yields `Article` objects or raises `BadInput` with a message that names the file
(and line, for JSONL) and what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import BadInput

KNOWN_SUFFIXES = {".txt", ".jsonl", ".md"}


@dataclass(frozen=True)
class Article:
    id: str
    published: dt.date
    title: str
    body: str
    source: str | None = None
    url: str | None = None
    path: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)


# Typographic variants a copy-paste or a CMS swaps in; a copy differs from its original in these
# and in line breaks far more often than in words.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def content_hash(body: str) -> str:
    """The body alone decides identity, read as words: the same text re-sent under another file
    name, with a re-worded headline, its paragraphs reflowed or its quotation marks straightened,
    is the same article (and is never checked against itself)."""
    text = " ".join(unicodedata.normalize("NFKC", body).translate(_TYPOGRAPHY).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise BadInput(f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def decode_text(raw: bytes, where: str, max_bytes: int) -> str:
    if len(raw) > max_bytes:
        raise BadInput(
            f"{where}: {len(raw):,} bytes is larger than the {max_bytes:,}-byte limit for one article "
            "(set CLAIMS_MAX_ARTICLE_BYTES to raise it)"
        )
    if b"\x00" in raw:
        raise BadInput(f"{where}: looks like a binary file (it contains NUL bytes), not article text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{where}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
    return text.replace("\r\n", "\n")


def parse_article_text(
    text: str, article_id: str, where: str, default_date: dt.date | None = None
) -> Article:
    """Parse the `key: value` header, blank line, body format; or a bare body with a given date."""
    if not text.strip():
        raise BadInput(f"{where}: the file is empty")
    header: dict[str, str] = {}
    body = text
    head, sep, rest = text.partition("\n\n")
    lines = head.split("\n")
    if sep and lines and all(": " in line for line in lines) and _looks_like_header(lines):
        for line in lines:
            key, _, value = line.partition(": ")
            header[key.strip().lower()] = value.strip()
        body = rest
    if "published" in header:
        published = parse_date(header["published"], where)
    elif default_date is not None:
        published = default_date
    else:
        raise BadInput(
            f"{where}: no publication date; add a 'published: YYYY-MM-DD' header line "
            "or pass --date YYYY-MM-DD"
        )
    if published > dt.date.today() + dt.timedelta(days=1):  # a day's slack for time zones
        raise BadInput(f"{where}: publication date {published} is in the future; check the 'published:' line or --date")
    body = body.strip("\n")
    if not body.strip():
        raise BadInput(f"{where}: the article has a header but no body text")
    title = header.get("title") or body.split("\n", 1)[0][:120]
    return Article(
        id=article_id,
        published=published,
        title=title,
        body=body + "\n",
        source=header.get("source"),
        url=header.get("url"),
        path=where,
    )


def _looks_like_header(lines: list[str]) -> bool:
    keys = {line.partition(": ")[0].strip().lower() for line in lines}
    return bool(keys & {"published", "title", "source", "url"}) and all(
        len(k) < 30 and " " not in k for k in keys
    )


def read_jsonl(path: Path, max_bytes: int, default_date: dt.date | None) -> Iterator[Article]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            line = decode_text(raw, where, max_bytes)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadInput(f"{where}: not a JSON object ({exc.msg})") from None
            if not isinstance(record, dict):
                raise BadInput(f"{where}: expected a JSON object per line")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise BadInput(f"{where}: missing or empty 'text' field")
            if record.get("published"):
                published = parse_date(str(record["published"]), where)
            elif default_date is not None:
                published = default_date
            else:
                raise BadInput(f"{where}: no 'published' date; add one or pass --date YYYY-MM-DD")
            article_id = str(record.get("id") or f"{path.stem}-{lineno}")
            yield Article(
                id=article_id,
                published=published,
                title=str(record.get("title") or text.strip().split("\n", 1)[0][:120]),
                body=text.replace("\r\n", "\n").strip("\n") + "\n",
                source=record.get("source"),
                url=record.get("url"),
                path=where,
            )


def read_file(path: Path, max_bytes: int, default_date: dt.date | None = None) -> Iterator[Article]:
    if path.suffix.lower() == ".jsonl":
        yield from read_jsonl(path, max_bytes, default_date)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_text(raw, str(path), max_bytes)
    yield parse_article_text(text, path.stem, str(path), default_date)


def discover(paths: list[Path]) -> list[Path]:
    """Expand folders into their article files, sorted so a backfill order is repeatable."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise BadInput(f"{path}: no such file or folder")
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES and p.name.lower() != "readme.md"
            )
        else:
            found.append(path)
    return found


def iter_articles(
    paths: list[Path], max_bytes: int, default_date: dt.date | None = None
) -> Iterator[Article]:
    for path in discover(paths):
        yield from read_file(path, max_bytes, default_date)
