"""The one place that reads configuration: environment variables, overridden by CLI options.

Everything else receives a `Settings` object, so tests can build one without touching the
environment and no module reads `os.environ` on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

APP_NAME = "claims"
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_prompts_dir() -> Path:
    """`prompts/` in a checkout; the copy inside the package when installed from a wheel."""
    checkout = REPO_ROOT / "prompts"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "prompt_files"


# Environment variable -> Settings field.
ENV_VARS = {
    "CLAIMS_DB": "db_path",
    "CLAIMS_MODEL": "model_path",
    "CLAIMS_MODEL_NAME": "model_name",
    "CLAIMS_LLM_URL": "llm_url",
    "CLAIMS_LLM_API_KEY": "llm_api_key",
    "CLAIMS_CACHE_DIR": "cache_dir",
    "CLAIMS_THREADS": "n_threads",
    "CLAIMS_THREADS_BATCH": "n_threads_batch",
    "CLAIMS_WORKERS": "workers",
    "CLAIMS_MAX_ARTICLE_BYTES": "max_article_bytes",
}

_INT_FIELDS = {"n_threads", "n_threads_batch", "max_article_bytes", "workers"}


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)) / "ledger.db"
    )
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)))
    model_name: str = "qwen2.5-0.5b"
    model_path: Path | None = None
    llm_url: str | None = None
    llm_api_key: str | None = None
    # Generation on 1 thread and prompt reading on 2 was the stable, fastest mix on the
    # 2-core machines (2-thread generation sometimes collapsed with busy-wait polling).
    n_threads: int = 1
    n_threads_batch: int = 2
    # Model requests in flight at once during a backfill; above 1 only with a model server
    # (llm_url), since a local llama.cpp context answers one request at a time.
    workers: int = 1
    # Larger bodies are refused: no news article is 2 MB of text, and the model context
    # is sized for articles, not books.
    max_article_bytes: int = 2_000_000
    prompts_dir: Path = field(default_factory=lambda: default_prompts_dir())

    def with_overrides(self, **overrides) -> "Settings":
        """Apply CLI options; a None option means 'not given' and keeps the current value."""
        given = {k: v for k, v in overrides.items() if v is not None}
        for key in ("db_path", "model_path", "cache_dir"):
            if key in given:
                given[key] = Path(given[key]).expanduser()
        return replace(self, **given)


def read_environment(variables: dict[str, str], int_fields: set[str] = frozenset(),
                     environ: dict[str, str] | None = None) -> dict:
    """Settings fields from environment variables (`variables`: name -> field); unset or empty
    variables are left out. A front end with settings of its own (the Slack bot) reads them here too."""
    env = os.environ if environ is None else environ
    values: dict = {}
    for var, key in variables.items():
        raw = env.get(var)
        if raw is None or raw == "":
            continue
        if key in int_fields:
            try:
                values[key] = int(raw)
            except ValueError as exc:
                raise ConfigError(f"{var} must be a whole number, got {raw!r}") from exc
        else:
            values[key] = raw
    return values


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    return Settings().with_overrides(**read_environment(ENV_VARS, _INT_FIELDS, environ))


class ConfigError(ValueError):
    """A setting that is missing or malformed; the message names the variable to fix."""
