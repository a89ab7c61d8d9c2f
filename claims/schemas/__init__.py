"""JSON Schemas for what the model answers and what the ledger stores."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load(name))


def errors(name: str, instance) -> list[str]:
    """Every violation as 'path: message'; empty when the instance is valid."""
    found = []
    for err in sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in err.path) or "(root)"
        found.append(f"{where}: {err.message}")
    return found
