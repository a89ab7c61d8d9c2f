"""Prompt files from `prompts/`, and the version hash recorded with everything the model decided."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Prompt:
    system: str
    examples: tuple[dict, ...]
    version: str


@lru_cache(maxsize=None)
def load(prompts_dir: Path, name: str) -> Prompt:
    system_file = Path(prompts_dir) / f"{name}_system.md"
    examples_file = Path(prompts_dir) / f"{name}_examples.json"
    system = system_file.read_text(encoding="utf-8").strip()
    raw_examples = examples_file.read_text(encoding="utf-8")
    examples = tuple(json.loads(raw_examples))
    version = hashlib.sha256((system + "\n" + raw_examples).encode("utf-8")).hexdigest()[:10]
    return Prompt(system, examples, f"{name}-{version}")
