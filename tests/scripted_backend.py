"""A model double for tests: answers from functions of the prompt and records every request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from claims.llm import Messages, Usage, _normalize


@dataclass
class ScriptedBackend:

    classify_fn: object = None
    json_fn: object = None
    name: str = "scripted"
    usage: Usage = field(default_factory=Usage)
    history: list = field(default_factory=list)

    def classify(self, messages: Messages, labels: list[str]) -> dict[str, float]:
        self.history.append(("classify", messages, labels))
        self.usage.calls += 1
        if self.classify_fn is None:
            return _normalize({label: 0.0 for label in labels})
        answer = self.classify_fn(messages[-1]["content"], labels)
        if isinstance(answer, dict):
            return _normalize(answer)
        return _normalize({label: (0.0 if label == answer else -10.0) for label in labels})

    def generate_json(self, messages: Messages, schema: dict, max_tokens: int = 64) -> str:
        self.history.append(("json", messages, schema))
        self.usage.calls += 1
        if self.json_fn is None:
            return json.dumps({"subject": "general"})
        return self.json_fn(messages[-1]["content"], schema)
