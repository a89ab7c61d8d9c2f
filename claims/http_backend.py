"""An OpenAI-compatible model server (llama.cpp's llama-server, llama-cpp-python's server, vLLM)
over httpx: one pooled client, safe to share between the threads of `backfill --workers`."""

from __future__ import annotations

import threading
import time

import httpx

from .errors import ModelUnavailable
from .llm import Messages, Usage, _normalize


class HttpBackend:
    """The server at `base_url` (with or without its `/v1`)."""

    def __init__(self, base_url: str, api_key: str | None = None, model: str | None = None, timeout: float = 120):
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.model = model or "default"
        self.name = f"{self.model}@{base_url}"
        self.usage = Usage()
        self._usage_lock = threading.Lock()  # several requests may be in flight (backfill --workers)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def _post(self, path: str, payload: dict) -> dict:
        start = time.perf_counter()
        try:
            response = self._client.post(path, json=payload)
            response.raise_for_status()
            body = response.json()
        except httpx.HTTPStatusError as exc:
            raise ModelUnavailable(f"model server {self.base_url} answered HTTP {exc.response.status_code} to {path}") from None
        except httpx.TransportError as exc:
            raise ModelUnavailable(f"model server {self.base_url} is unreachable ({exc}); check CLAIMS_LLM_URL") from None
        except ValueError:
            raise ModelUnavailable(f"model server {self.base_url} answered something that is not JSON") from None
        usage = body.get("usage") or {}
        with self._usage_lock:
            self.usage.seconds += time.perf_counter() - start
            self.usage.calls += 1
            self.usage.prompt_tokens += int(usage.get("prompt_tokens") or 0)
            self.usage.generated_tokens += int(usage.get("completion_tokens") or 0)
        return body

    def classify(self, messages: Messages, labels: list[str]) -> dict[str, float]:
        body = self._post(
            "/chat/completions",
            {"model": self.model, "messages": messages, "max_tokens": 1, "temperature": 0,
             "logprobs": True, "top_logprobs": 20},
        )
        try:
            top = body["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
        except (KeyError, IndexError, TypeError):
            raise ModelUnavailable(f"model server {self.base_url} returned no logprobs; it must support top_logprobs") from None
        seen: dict[str, float] = {}
        for entry in top:
            token = str(entry.get("token", "")).strip().lower()
            for label in labels:
                if token and label.lower().startswith(token) and label not in seen:
                    seen[label] = float(entry["logprob"])
        floor = min((float(e["logprob"]) for e in top), default=-30.0) - 5.0
        return _normalize({label: seen.get(label, floor) for label in labels})

    def generate_json(self, messages: Messages, schema: dict, max_tokens: int = 64) -> str:
        body = self._post(
            "/chat/completions",
            {
                "model": self.model, "messages": messages, "max_tokens": max_tokens, "temperature": 0,
                # llama.cpp (llama-server, llama-cpp-python) reads `response_format.schema`; vLLM `guided_json`.
                "response_format": {"type": "json_object", "schema": schema},
                "json_schema": schema,
                "guided_json": schema,
            },
        )
        try:
            return body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise ModelUnavailable(f"model server {self.base_url} returned no message content") from None
