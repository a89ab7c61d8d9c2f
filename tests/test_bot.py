import json
import time
import urllib.parse

import pytest

from bot import blocks
from bot.alerts import AlertPoster
from bot.app import web_client
from bot.config import bot_settings
from bot.server import missing_settings, run
from claims.errors import ClaimsError

from .conftest import ROOT
from .slack_requests import all_text, command_body, signed_post


def test_claims_search_answers_with_lammy_and_cooper(server, slack):
    _app, url = server
    status, _body, elapsed = signed_post(url, command_body(slack, "Putin negotiations"))
    assert status == 200 and elapsed < 3
    answer = slack.wait_for("respond/1")[0]
    text = all_text(answer)
    assert answer["response_type"] == "ephemeral"
    # The claims themselves, not only findings that mention them:
    speakers = [b["text"]["text"].split("*")[1] for b in answer["blocks"][1:] if b["type"] == "section"]
    assert "David Lammy" in speakers and "Yvette Cooper" in speakers
    assert "2026-01-15" in text and "Putin actually wants peace" in text
    assert any(b.get("type") == "actions" for b in answer["blocks"])
    assert len(answer["blocks"]) <= 50


@pytest.mark.parametrize("tamper", ["signature", "timestamp"])
def test_forged_or_stale_requests_are_refused(server, slack, tamper):
    _app, url = server
    if tamper == "signature":
        status, _, _ = signed_post(url, command_body(slack, "Putin"), secret="wrong-secret")
    else:
        status, _, _ = signed_post(url, command_body(slack, "Putin"), timestamp=time.time() - 6 * 60)
    assert status == 401
    time.sleep(0.3)
    assert slack.named("respond/1") == []


@pytest.mark.parametrize("text, expect", [
    ("", "How to use /claims"),
    ("help", "How to use /claims"),
    ('"unbalanced AND OR *', "No claims match"),
    ("x" * 4000, "only the first 500"),
    ("colour:blue Putin", "Unknown filter `colour:`"),
    ("since:yesterday Putin", "not a date"),
    ("timeline Lammy", "Timeline of Lammy"),
    ("shifts Trump", "Contradiction"),
])
def test_odd_queries_get_a_helpful_answer(server, slack, text, expect):
    _app, url = server
    status, _, _ = signed_post(url, command_body(slack, text))
    assert status == 200
    assert expect in all_text(slack.wait_for("respond/1")[0])


def test_ack_is_fast_while_the_model_worker_is_busy(server, slack):
    app, url = server
    ctx = app._claims_context
    ctx.alerts = None  # alerts have their own tests; here only the reply matters
    ctx.worker.submit(lambda backend: time.sleep(4))  # a slow model call in progress
    article = 'published: 2026-02-01\ntitle: t\n\n"Putin is not serious about peace," Foreign Secretary Yvette Cooper said.'
    status, _, elapsed = signed_post(url, command_body(slack, "check " + article))
    assert status == 200 and elapsed < 3
    status, _, elapsed2 = signed_post(url, command_body(slack, "Putin", n=2))
    assert status == 200 and elapsed2 < 3
    assert "Checking" in all_text(slack.wait_for("respond/1")[0])
    slack.wait_for("respond/2")
    results = slack.wait_for("respond/1", count=2, timeout=30)
    assert "Yvette Cooper" in all_text(results[1]) and "1 claim(s)" in all_text(results[1])


def test_alerts_post_each_finding_once_across_restarts(bot_settings, seeded, slack):
    client = web_client(bot_settings)
    changes = seeded.findings()
    assert changes
    poster = AlertPoster(client, bot_settings.db_path, "C_ALERTS", min_interval=0.05)
    assert poster.post_pending() == len(changes)
    assert poster.post_pending() == 0
    restarted = AlertPoster(client, bot_settings.db_path, "C_ALERTS", min_interval=0.05)
    assert restarted.post_pending() == 0
    posts = slack.named("chat.postMessage")
    assert len(posts) == len(changes)
    first = posts[0]
    assert first["channel"] == "C_ALERTS"
    assert {"finding_confirm", "finding_dismiss"} <= {e["action_id"] for b in first["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_findings_posted_by_an_older_version_are_not_posted_again(bot_settings, seeded, slack):
    # Before the ledger kept delivery marks, the bot kept its own table; a ledger that has one is
    # upgraded when the poster first opens it, and what it had posted stays posted.
    first, *rest = seeded.findings()
    assert rest
    seeded.db["slack_posts"].create({"finding_id": int, "channel": str, "ts": str, "posted_at": str}, pk="finding_id")
    seeded.db["slack_posts"].insert_all([
        {"finding_id": first["id"], "channel": "C_ALERTS", "ts": "1.1", "posted_at": "2025-01-01T00:00:00+00:00"},
        {"finding_id": rest[0]["id"], "channel": "C_ALERTS", "ts": None, "posted_at": None},  # reserved, never posted
    ])
    poster = AlertPoster(web_client(bot_settings), bot_settings.db_path, "C_ALERTS", min_interval=0)
    assert poster.post_pending() == len(rest)
    posted = {p["text"] for p in slack.named("chat.postMessage")}
    assert len(posted) == len(rest) and "slack_posts" not in seeded.db.table_names()
    assert seeded.delivered_finding_ids() == {f["id"] for f in seeded.findings()}


def test_alerts_throttle_and_honour_retry_after(bot_settings, seeded, slack):
    client = web_client(bot_settings)
    slack.rate_limit_next, slack.retry_after = 1, 1
    poster = AlertPoster(client, bot_settings.db_path, "C_ALERTS", min_interval=1.0)
    started = time.monotonic()
    posted = poster.post_pending()
    assert posted == len(seeded.findings()) >= 2
    stamps = [t for p, _b, t in slack.calls if p in ("chat.postMessage", "429:chat.postMessage")]
    assert [c[0] for c in slack.calls].count("429:chat.postMessage") == 1
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert all(g >= 0.95 for g in gaps), gaps
    assert time.monotonic() - started >= posted  # one second per post, plus the Retry-After wait


def test_many_findings_become_one_summary(bot_settings, seeded, slack, monkeypatch):
    import bot.alerts as alerts

    monkeypatch.setattr(alerts, "SUMMARY_THRESHOLD", 1)
    client = web_client(bot_settings)
    assert AlertPoster(client, bot_settings.db_path, "C_ALERTS", min_interval=0).post_pending() == 1
    posts = slack.named("chat.postMessage")
    assert len(posts) == 1 and "new stance changes" in posts[0]["text"]


def test_review_buttons_update_the_finding_and_the_message(server, slack, seeded):
    _app, url = server
    finding = seeded.findings()[0]
    payload = {
        "type": "block_actions", "user": {"id": "U9", "name": "ed"}, "team": {"id": "T1"},
        "channel": {"id": "C_ALERTS"}, "message": {"ts": "111.222", "text": "x"},
        "response_url": f"{slack.url}respond/9", "trigger_id": "1.2",
        "actions": [{"action_id": "finding_dismiss", "block_id": f"review_{finding['id']}", "value": str(finding["id"]),
                     "type": "button", "action_ts": "1"}],
    }
    status, _, _ = signed_post(url, urllib.parse.urlencode({"payload": json.dumps(payload)}))
    assert status == 200
    update = slack.wait_for("chat.update")[0]
    assert update["ts"] == "111.222" and "Dismissed" in all_text(update)
    after = seeded.finding(finding["id"])
    assert after["status"] == "dismissed" and after["reviewed_by"] == "U9"


def test_app_home_shows_figures_and_findings(server, slack):
    _app, url = server
    event = {"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "Ev1", "event_time": 1,
             "event": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}}
    status, _, _ = signed_post(url, json.dumps(event), content_type="application/json")
    assert status == 200
    view = slack.wait_for("views.publish")[0]
    text = all_text(view)
    assert view["user_id"] == "U1" and "articles" in text and "Contradiction" in text


def test_missing_settings_name_the_variables(settings, monkeypatch):
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-from-env")
    assert bot_settings(settings).slack_app_token == "xapp-from-env"  # the bot reads its own variables
    monkeypatch.delenv("SLACK_APP_TOKEN")
    settings = bot_settings(settings)
    assert missing_settings(settings, http_mode=False) == ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]
    assert missing_settings(settings, http_mode=True) == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    with pytest.raises(ClaimsError, match="missing settings: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET"):
        run(settings, http_mode=True, port=0)


def test_blocks_respect_slack_limits():
    claim = {"id": 1, "speaker": "A <b>", "speaker_role": None, "date": "2025-01-01", "kind": "position",
             "quote": "q" * 5000, "article_id": "x", "article_title": None, "article_url": None}
    message = blocks.search_results("q", [claim] * 80, {})
    assert len(message["blocks"]) <= 50 and message["text"]
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if b["type"] == "section")
    assert "&lt;b&gt;" in json.dumps(message)


def test_manifest_matches_the_app():
    manifest = json.loads((ROOT / "bot" / "manifest.json").read_text())
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/claims"]
    assert manifest["features"]["shortcuts"][0]["callback_id"] == "check_article"
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"commands", "chat:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
