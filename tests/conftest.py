import json
import threading
from pathlib import Path

import pytest

from bot.app import create_app
from bot.config import bot_settings as make_bot_settings
from bot.server import make_http_server
from claims.articles import read_file
from claims.checker import Checker
from claims.config import Settings, load_settings
from claims.extract import Extractor
from claims.ingest import backfill
from claims.ledger import Ledger

from .fake_model import slow_model_server
from .fake_slack import FakeSlack
from .scripted_backend import ScriptedBackend
from .slack_requests import SECRET

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "seeds" / "gold.json"
SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "CLAIMS_ALERT_CHANNEL")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test sees real tokens or writes the user's ledger."""
    for var in SLACK_VARS + ("CLAIMS_DB", "CLAIMS_LLM_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CLAIMS_DB", str(tmp_path / "ledger.db"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return load_settings().with_overrides(db_path=tmp_path / "ledger.db")


@pytest.fixture
def ledger(settings) -> Ledger:
    return Ledger(settings.db_path)


def seed(article_id: str):
    return next(read_file(SEEDS / f"{article_id}.txt", 10_000_000))


@pytest.fixture
def seed_articles():
    return [seed(p.stem) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture
def scripted():
    """A model double: every statement a 'position', every pair 'same'."""

    def classify(prompt, labels):
        return "position" if "position" in labels else "same"

    return ScriptedBackend(classify_fn=classify)


@pytest.fixture
def gold():
    if not GOLD.is_file():
        pytest.skip("../shared/seeds/gold.json is not present beside this checkout")
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def real_backend():
    """The embedded default GGUF through llama.cpp, loaded once for the whole run."""
    from claims import model_store
    from claims.errors import ModelUnavailable
    from claims.llama_backend import LlamaCppBackend

    s = load_settings()
    try:
        path = model_store.resolve_model_path(s.cache_dir, s.model_name, s.model_path)
    except ModelUnavailable as exc:
        pytest.skip(f"no model here ({exc}); `./scripts/setup` fetches it, as CI does")
    return LlamaCppBackend(path, s.n_threads, s.n_threads_batch)


# -- the Slack bot over a seeded ledger, with Slack's Web API faked at the network edge ----------


@pytest.fixture
def slack():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def bot_settings(settings, slack):
    return make_bot_settings(settings, environ={}, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                             slack_api_url=slack.url + "api/", alert_channel="C_ALERTS")


@pytest.fixture
def seeded(bot_settings, ledger, scripted, seed_articles):
    backfill(ledger, Extractor(scripted, ROOT / "prompts"), seed_articles)
    Checker(ledger, scripted, ROOT / "prompts").check()
    return ledger


@pytest.fixture
def server(bot_settings, scripted, seeded):
    app = create_app(bot_settings, backend_factory=lambda: scripted)
    httpd = make_http_server(app, "127.0.0.1", 0, SECRET)

    def serve():
        try:
            httpd.run()
        except OSError:  # the socket closed under waitress's select loop at teardown
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.effective_port}/slack/events"
    httpd.close()


@pytest.fixture
def slow_server():
    """A model server that answers after a pause and counts the requests in flight: (url, state)."""
    yield from slow_model_server()
