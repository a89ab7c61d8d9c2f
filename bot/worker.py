"""One thread owns the model. Listeners enqueue jobs and return at once; Slack needs ack() in 3 s.

llama.cpp contexts are not thread-safe and two inference threads on 2 cores slow each other down
many times over, so all model work goes through one single-thread executor, in order.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

log = logging.getLogger(__name__)


class ModelWorker:
    def __init__(self, backend_factory: Callable[[], object]):
        self._factory = backend_factory
        self._backend = None  # made on the worker thread by the first job: loading takes seconds
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-model-worker")

    def submit(self, job: Callable[[object], None], on_error: Callable[[Exception], None] | None = None) -> Future:
        """Run `job(backend)` on the worker thread, after the jobs already queued."""
        return self._pool.submit(self._run, job, on_error)

    def _run(self, job, on_error) -> None:
        try:
            if self._backend is None:
                self._backend = self._factory()
            job(self._backend)
        except Exception as exc:  # noqa: BLE001 - a failed job must not stop the ones after it
            log.exception("model job failed")
            if on_error:
                try:
                    on_error(exc)
                except Exception:  # noqa: BLE001
                    log.exception("error callback failed")
