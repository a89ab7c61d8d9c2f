import datetime as dt
import json

import pytest

from claims.articles import Article, discover, iter_articles, parse_article_text, read_file
from claims.errors import BadInput

from .conftest import SEEDS


def test_seed_header_and_body_are_split_at_first_blank_line():
    article = next(read_file(SEEDS / "000.txt", 10**7))
    assert article.id == "000"
    assert article.published == dt.date(2025, 2, 5)
    assert article.source == "Kyiv Independent"
    assert article.title.startswith("Lammy in Kyiv")
    assert article.body.startswith("London does not see indications")
    assert "title:" not in article.body


def test_header_keys_in_any_order_and_unknown_keys_ignored():
    text = "title: T\nfoo: bar\npublished: 2025-01-02\n\nBody line.\n"
    article = parse_article_text(text, "x", "x.txt")
    assert article.published == dt.date(2025, 1, 2)
    assert article.body == "Body line.\n"


def test_plain_text_needs_a_date():
    with pytest.raises(BadInput, match="no publication date.*--date"):
        parse_article_text("Just a body without header.\n", "x", "x.txt")
    article = parse_article_text("Just a body.\n", "x", "x.txt", default_date=dt.date(2025, 5, 1))
    assert article.published == dt.date(2025, 5, 1)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02GGUF binary", "binary"),
        (b"published: 2025-01-01\n\n\xff\xfe bad bytes", "not valid UTF-8"),
        (b"published: 2025-13-45\ntitle: x\n\nBody.", "not an ISO date"),
    ],
)
def test_bad_files_are_refused_with_a_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=message) as info:
        list(read_file(path, 10**6))
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_oversized_article_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("published: 2025-01-01\ntitle: big\n\n" + "word " * 1_100_000)
    with pytest.raises(BadInput, match="larger than the"):
        list(read_file(path, 2_000_000))


def test_jsonl_reads_records_and_reports_the_bad_line(tmp_path):
    good = {"url": "https://e.x/1", "published": "2025-03-01", "title": "T", "source": "S", "text": "Body one."}
    path = tmp_path / "archive.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "custom", "text": "Body two."}) + "\n")
    articles = list(read_file(path, 10**6))
    assert [a.id for a in articles] == ["archive-1", "custom"]
    assert articles[0].url == "https://e.x/1"
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(BadInput, match=r"archive.jsonl:2: not a JSON object"):
        list(read_file(path, 10**6))


def test_folders_expand_sorted_and_skip_readme(tmp_path):
    (tmp_path / "b.txt").write_text("published: 2025-01-02\ntitle: b\n\nB.")
    (tmp_path / "a.txt").write_text("published: 2025-01-01\ntitle: a\n\nA.")
    (tmp_path / "README.md").write_text("# not an article")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "b.txt"]
    assert [a.id for a in iter_articles([tmp_path], 10**6)] == ["a", "b"]


def test_content_hash_ignores_file_name_and_title():
    a = parse_article_text("published: 2025-01-01\ntitle: one\n\nSame body.", "a", "a")
    b = parse_article_text("published: 2025-01-01\ntitle: two\n\nSame body.", "b", "b")
    assert a.content_hash == b.content_hash
    assert isinstance(a, Article)
