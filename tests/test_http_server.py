"""HTTP mode: the gate in front of Bolt, the health endpoint, bursts. Slack's servers are the edge
(the fake in fake_slack); the HTTP server is the real one the bot runs."""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .slack_requests import all_text, command_body, signed_post


def test_signed_but_malformed_bodies_are_400_without_a_traceback(server, slack, caplog):
    _app, url = server
    cases = [
        (b"[1, 2, 3]", "application/json", "not an object"),
        (b"command=/claims&text=caf\xe9", "application/x-www-form-urlencoded", "not UTF-8"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded", "payload is not JSON"),
        (b"payload=%5B1%5D", "application/x-www-form-urlencoded", "not a JSON object"),
    ]
    for body, content_type, reason in cases:
        status, answer, _ = signed_post(url, body, content_type)
        assert status == 400 and reason in json.loads(answer)["error"], (body, status, answer)
    assert "Traceback" not in caplog.text


def test_unsigned_garbage_is_refused_before_it_is_read_as_anything(server):
    _app, url = server
    assert signed_post(url, b"\xff\xfe\x00garbage", secret=None)[0] == 401
    assert signed_post(url, b"[]", "application/json", secret="not-the-secret")[0] == 401


def test_oversized_wrong_method_and_unknown_path(server):
    _app, url = server
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.putrequest("POST", parts.path)
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", "5000000")  # refused on the header, before 5 MB are read
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    try:
        urllib.request.urlopen(url, timeout=5)
        raise AssertionError("GET on the events path answered 200")
    except urllib.error.HTTPError as exc:
        assert exc.code == 405
    try:
        urllib.request.urlopen(url.replace("/slack/events", "/other"), timeout=5)
        raise AssertionError("unknown path answered 200")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404


def test_health_endpoint_reports_the_ledger(server):
    _app, url = server
    with urllib.request.urlopen(url.replace("/slack/events", "/healthz"), timeout=5) as resp:
        assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"


def test_a_burst_of_concurrent_commands_is_answered_in_full(server, slack):
    _app, url = server
    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(lambda n: signed_post(url, command_body(slack, "Putin", n)), range(100)))
    assert [status for status, _body, _t in results] == [200] * 100


def test_pasted_text_without_a_date_is_refused_at_once_and_not_stored(server, slack, seeded):
    _app, url = server
    before = seeded.db.execute("select count(*) from articles").fetchone()[0]
    status, _, _ = signed_post(url, command_body(slack, 'check Mayor Ana Reyes said: "The harbour will open in June."'))
    assert status == 200
    answer = all_text(slack.wait_for("respond/1")[0])
    assert "no publication date" in answer and "Checking" not in answer
    assert seeded.db.execute("select count(*) from articles").fetchone()[0] == before


def test_a_reflowed_copy_of_a_stored_article_is_recognised(bot_settings, seeded):
    from bot.pipeline import BotPipeline

    stored = seeded.db.execute("select id, published, body from articles order by id limit 1").fetchone()
    words = stored[2].split()
    # The same words, wrapped at 60 columns with curly quotes straightened, and a leading date.
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 60:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    pasted = f"{stored[1]} " + "\n".join(lines + [line]).replace("“", '"').replace("”", '"')
    findings_before, articles_before = len(seeded.findings(limit=10_000)), seeded.stats()["articles"]
    title, claims, _changes = BotPipeline(bot_settings).check_text(backend=None, text=pasted)
    assert title == "Already in the ledger" and claims and {c["article_id"] for c in claims} == {stored[0]}
    assert seeded.stats()["articles"] == articles_before
    assert len(seeded.findings(limit=10_000)) == findings_before
