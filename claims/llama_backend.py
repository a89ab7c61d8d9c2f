"""A local GGUF model through llama.cpp (llama-cpp-python): label log-probabilities from one
forward pass, grammar-constrained JSON, and a prompt cache that keeps shared prefixes evaluated."""

from __future__ import annotations

import gc
import json
import logging
import math
import sys
import threading
import time
from pathlib import Path

from .errors import ModelUnavailable
from .llm import Messages, Usage, _normalize
from .thread_tuner import ThreadTuner

log = logging.getLogger(__name__)

SNAPSHOT_KEY = 64  # leading tokens that name a prompt family (chat template and system prompt)
SNAPSHOT_MIN_GAIN = 64  # tokens; restoring is worth it only above a batch of re-reading
SNAPSHOT_FAMILIES = 4



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
