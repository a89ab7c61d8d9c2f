"""Prompt threads that follow the host's load.

Measured on 2 cores with the pipeline's short evals (~50 tokens after a cached prefix): a quiet
host reads them about 1.7x faster with 2 prompt threads than with 1, but beside one other busy
process 2 threads fall to ~70% of what 1 thread reaches (every barrier waits for the thread that
was descheduled). Which count is best changes with whatever else the host runs, so it is measured
while working: every `probe_every`-th eval runs with another count, and the count with the lower
recent cost per token is used from then on.
"""

from __future__ import annotations

# Only evals of the common shape are compared: a 500-token prefix read costs far less per token,
# a 1-token eval far more, and either would skew the estimate of whichever count ran it.
SHAPE_TOKENS = (16, 160)


class ThreadTuner:
    def __init__(self, choices: tuple[int, ...], probe_every: int = 32, decay: float = 0.25):
        self.choices = tuple(dict.fromkeys(choices))
        self.probe_every = probe_every
        self.decay = decay
        self.cost: dict[int, float] = {}  # seconds per token, exponentially weighted
        self.current = self.choices[0]
        self.evals = 0

    def next(self) -> int:
        """The thread count for the next eval."""
        self.evals += 1
        others = [c for c in self.choices if c != self.current]
        unmeasured = [c for c in others if c not in self.cost]
        if unmeasured and self.current in self.cost:
            return unmeasured[0]  # every count is tried once as soon as the current one has a cost
        if others and self.evals % self.probe_every == 0:
            return others[(self.evals // self.probe_every) % len(others)]
        return self.current

    def record(self, threads: int, tokens: int, seconds: float) -> None:
        if not SHAPE_TOKENS[0] <= tokens <= SHAPE_TOKENS[1] or threads not in self.choices:
            return
        per_token = seconds / tokens
        old = self.cost.get(threads)
        self.cost[threads] = per_token if old is None else old + self.decay * (per_token - old)
        if len(self.cost) == len(self.choices):
            self.current = min(self.cost, key=self.cost.get)
