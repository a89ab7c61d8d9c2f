import json
from pathlib import Path

import pytest

from claims.articles import read_file
from claims.config import Settings, load_settings
from claims.ledger import Ledger
from .scripted_backend import ScriptedBackend

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
    from claims.llm import LlamaCppBackend

    s = load_settings()
    try:
        path = model_store.resolve_model_path(s.cache_dir, s.model_name, s.model_path)
    except ModelUnavailable as exc:
        pytest.skip(f"no model here ({exc}); `./scripts/setup` fetches it, as CI does")
    return LlamaCppBackend(path, s.n_threads, s.n_threads_batch)
