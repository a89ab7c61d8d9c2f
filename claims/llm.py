"""Model backends: a local GGUF through llama.cpp, or an OpenAI-compatible HTTP endpoint.

Both answer the same two requests, so the pipeline never knows which one it talks to:
- `classify(messages, labels)`: log-probabilities of each label as the first answer token. A small
  model is far more reliable picking from its label distribution than writing free text, and one
  forward pass costs a fraction of generating.
- `generate_json(messages, schema)`: text whose syntax the JSON Schema constrains (a llama.cpp
  grammar locally, `json_schema`/`guided_json` over HTTP). The caller validates the result again,
  because a constraint guarantees syntax, not content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

Messages = list[dict[str, str]]

@dataclass
class Usage:
    prompt_tokens: int = 0
    generated_tokens: int = 0
    calls: int = 0
    seconds: float = 0.0


class Backend(Protocol):
    name: str
    usage: Usage

    def classify(self, messages: Messages, labels: list[str]) -> dict[str, float]: ...

    def generate_json(self, messages: Messages, schema: dict, max_tokens: int = 64) -> str: ...


def _normalize(logprobs: dict[str, float]) -> dict[str, float]:
    top = max(logprobs.values())
    total = top + math.log(sum(math.exp(v - top) for v in logprobs.values()))
    return {k: v - total for k, v in logprobs.items()}


def make_backend(settings) -> Backend:
    """The backend the settings ask for (the one factory the CLI, the bot and the benchmarks use):
    a model server when `llm_url` is set, else the chosen or embedded GGUF through llama.cpp."""
    from . import model_store

    if settings.llm_url:
        from .http_backend import HttpBackend

        return HttpBackend(settings.llm_url, settings.llm_api_key)
    from .llama_backend import LlamaCppBackend

    path = model_store.resolve_model_path(settings.cache_dir, settings.model_name, settings.model_path)
    return LlamaCppBackend(path, settings.n_threads, settings.n_threads_batch, chosen=settings.model_path is not None)
