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

import gc
import json
import logging
import math
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .errors import ModelUnavailable
from .thread_tuner import ThreadTuner

log = logging.getLogger(__name__)

Messages = list[dict[str, str]]

SNAPSHOT_KEY = 64  # leading tokens that name a prompt family (chat template and system prompt)
SNAPSHOT_MIN_GAIN = 64  # tokens; restoring is worth it only above a batch of re-reading
SNAPSHOT_FAMILIES = 4


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


class LlamaCppBackend:
    """One `Llama` object; callers must serialise access (llama.cpp contexts are not thread-safe)."""

    def __init__(self, model_path: Path, n_threads: int = 1, n_threads_batch: int = 2, n_ctx: int = 4096,
                 chosen: bool = False):
        """`chosen`: the file came from --model or CLAIMS_MODEL, so re-fetching the embedded model
        cannot repair it and the error says so."""
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        path = Path(model_path)
        fix = ("check the file given with --model or CLAIMS_MODEL (download it again, or leave both unset to use "
               "the embedded model)" if chosen else "run `claims model fetch --force`")
        if not path.is_file():
            raise ModelUnavailable(f"model file {path} does not exist; {fix}")
        with path.open("rb") as fh:
            if fh.read(4) != b"GGUF":
                raise ModelUnavailable(f"{path} is not a GGUF file; {fix}")
        # llama-cpp-python's half-built LlamaModel raises again in __del__ after a failed load
        # ("Exception ignored in LlamaModel.__del__"): noise on top of the one line that matters.
        hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
        failed = False
        try:
            self.llm = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads_batch,
                verbose=False,
            )
        except (ValueError, RuntimeError):
            failed = True  # raised below, outside this block, so no traceback keeps the half-built model alive
        finally:
            gc.collect()
            sys.unraisablehook = hook
        if failed:
            raise ModelUnavailable(f"llama.cpp could not load {path} (truncated or damaged?); {fix}")
        self.name = path.name
        self.usage = Usage()
        self.lock = threading.Lock()
        self.n_threads = n_threads
        # Prompt threads: the configured count, or 1 when the host is busy enough that 1 is faster.
        self.tuner = ThreadTuner((n_threads_batch, 1))
        self._batch_threads = n_threads_batch
        self._snapshots: dict[tuple[int, ...], tuple[list[int], bytes]] = {}
        self._label_tokens: dict[str, int] = {}
        self._head_tokens: dict[str, list[int] | None] = {}
        template = self.llm.metadata.get("tokenizer.chat_template")
        eos = self.llm.detokenize([self.llm.token_eos()]).decode("utf-8", "ignore")
        bos = self.llm.detokenize([self.llm.token_bos()]).decode("utf-8", "ignore") if self.llm.token_bos() >= 0 else ""
        self._formatter = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos) if template else None
        self._turn_end = (self.llm.detokenize([self.llm.token_eos()], special=True).decode("utf-8", "ignore")
                          if self._formatter else "")

    def render(self, messages: Messages) -> str:
        if self._formatter is None:
            text = "\n\n".join(m["content"] for m in messages)
            return text + "\n\nAnswer: "
        return self._formatter(messages=messages).prompt

    def _tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    # Re-tokenizing a family's ~500-token system prompt and examples for every question cost ~4%
    # of a backfill. The prompt is cut after the end-of-turn marker (a special token, so no merge
    # crosses it) that precedes the question's own turn, and the part before it is tokenized once;
    # each cut is checked against a whole tokenization the first time it is seen and left
    # uncached if the two differ.
    def _tokens(self, prompt: str) -> list[int]:
        if not self._turn_end:
            return self._tokenize(prompt)
        cut = prompt.rfind(self._turn_end, 0, max(prompt.rfind(self._turn_end), 0)) + len(self._turn_end)
        if cut <= len(self._turn_end):
            return self._tokenize(prompt)
        head, tail = prompt[:cut], prompt[cut:]
        if head not in self._head_tokens:
            whole = self._tokenize(prompt)
            parts = self._tokenize(head)
            self._head_tokens[head] = parts if parts + self._tokenize(tail) == whole else None
            while len(self._head_tokens) > 2 * SNAPSHOT_FAMILIES:
                self._head_tokens.pop(next(iter(self._head_tokens)))
            return whole
        cached = self._head_tokens[head]
        return cached + self._tokenize(tail) if cached is not None else self._tokenize(prompt)

    def _label_token(self, label: str) -> int:
        if label not in self._label_tokens:
            self._label_tokens[label] = self._tokenize(label)[0]
        return self._label_tokens[label]

    def _eval(self, tokens: list[int]) -> None:
        import llama_cpp
        from llama_cpp import Llama

        # Reuse the KV cache for the shared prefix (system prompt and few-shot examples), so each
        # question costs only its own tokens; at least one token is evaluated to get logits.
        # (`_input_ids` is llama-cpp-python's view of the live ids, `input_ids` its whole buffer.)
        keep = min(Llama.longest_token_prefix(self.llm._input_ids.tolist(), tokens), len(tokens) - 1)
        best = max(self._snapshots.values(), key=lambda snap: Llama.longest_token_prefix(snap[0], tokens), default=None)
        if best is not None:
            shared = min(Llama.longest_token_prefix(best[0], tokens), len(tokens) - 1)
            if shared - keep >= SNAPSHOT_MIN_GAIN:
                if self._restore(best):
                    keep = shared
                else:
                    # Whatever llama.cpp left in the cache is not trusted: read from scratch.
                    log.warning("llama.cpp could not restore a cached prompt state; reading the prompt again")
                    self._snapshots = {k: v for k, v in self._snapshots.items() if v is not best}
                    keep = 0
        self.llm.n_tokens = keep
        threads = self.tuner.next()
        if threads != self._batch_threads:
            llama_cpp.llama_set_n_threads(self.llm._ctx.ctx, self.n_threads, threads)
            self._batch_threads = threads
        start = time.perf_counter()
        self.llm.eval(tokens[keep:])
        self.tuner.record(threads, len(tokens) - keep, time.perf_counter() - start)
        self.usage.prompt_tokens += len(tokens) - keep
        if keep < SNAPSHOT_MIN_GAIN and len(tokens) > SNAPSHOT_KEY:
            self._snapshot(tokens)

    # One KV cache serves every prompt family (claim kinds, pair questions, subjects); a family
    # switch would re-read its ~400-500-token prefix (~3.5 s here, twice per article checked from
    # Slack). A copy of the state after each family's first prompt (~6 MB for the 0.5B) is put back
    # instead, in milliseconds.
    def _snapshot(self, tokens: list[int]) -> None:
        import ctypes

        import llama_cpp

        size = llama_cpp.llama_state_get_size(self.llm._ctx.ctx)
        buffer = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_get_data(self.llm._ctx.ctx, buffer, size)
        self._snapshots.pop(tuple(tokens[:SNAPSHOT_KEY]), None)
        self._snapshots[tuple(tokens[:SNAPSHOT_KEY])] = (list(tokens), bytes(buffer)[:written])
        while len(self._snapshots) > SNAPSHOT_FAMILIES:
            self._snapshots.pop(next(iter(self._snapshots)))

    def _restore(self, snapshot: tuple[list[int], bytes]) -> bool:
        import ctypes

        import llama_cpp

        tokens, data = snapshot
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if llama_cpp.llama_state_set_data(self.llm._ctx.ctx, buffer, len(data)) != len(data):
            return False
        self.llm.input_ids[: len(tokens)] = tokens
        self.llm.n_tokens = len(tokens)
        return True

    def classify(self, messages: Messages, labels: list[str]) -> dict[str, float]:
        import numpy as np

        start = time.perf_counter()
        with self.lock:
            tokens = self._tokens(self.render(messages))
            if len(tokens) >= self.llm.n_ctx():
                raise ValueError(f"prompt of {len(tokens)} tokens does not fit the {self.llm.n_ctx()}-token context")
            self._eval(tokens)
            logits = np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(self.llm.n_vocab(),)).astype("float64")
            top = logits.max()
            logz = top + math.log(float(np.exp(logits - top).sum()))
            first = {label: self._label_token(label) for label in labels}
            self.usage.calls += 1
        self.usage.seconds += time.perf_counter() - start
        return _normalize({label: float(logits[tok] - logz) for label, tok in first.items()})

    def generate_json(self, messages: Messages, schema: dict, max_tokens: int = 64) -> str:
        from llama_cpp import LlamaGrammar

        start = time.perf_counter()
        grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        with self.lock:
            prompt = self.render(messages)
            out = self.llm.create_completion(
                prompt, max_tokens=max_tokens, temperature=0.0, grammar=grammar
            )
            self.usage.calls += 1
            self.usage.prompt_tokens += out["usage"]["prompt_tokens"]
            self.usage.generated_tokens += out["usage"]["completion_tokens"]
        self.usage.seconds += time.perf_counter() - start
        return out["choices"][0]["text"]


class HttpBackend:
    """An OpenAI-compatible server (llama.cpp's llama-server, vLLM) at `base_url`."""

    def __init__(self, base_url: str, api_key: str | None = None, model: str | None = None, timeout: float = 120):
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.api_key = api_key
        self.model = model or "default"
        self.timeout = timeout
        self.name = f"{self.model}@{base_url}"
        self.usage = Usage()
        self._usage_lock = threading.Lock()  # several requests may be in flight (backfill --workers)

    def _post(self, path: str, payload: dict) -> dict:
        data = json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method="POST")
        request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ModelUnavailable(f"model server {self.base_url} answered HTTP {exc.code} to {path}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ModelUnavailable(f"model server {self.base_url} is unreachable ({exc}); check CLAIMS_LLM_URL") from None
        except json.JSONDecodeError:
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


def make_backend(settings) -> Backend:
    """The backend the settings ask for (the one factory the CLI, the bot and the benchmarks use):
    a model server when `llm_url` is set, else the chosen or embedded GGUF through llama.cpp."""
    from . import model_store

    if settings.llm_url:
        return HttpBackend(settings.llm_url, settings.llm_api_key)
    path = model_store.resolve_model_path(settings.cache_dir, settings.model_name, settings.model_path)
    return LlamaCppBackend(path, settings.n_threads, settings.n_threads_batch, chosen=settings.model_path is not None)
