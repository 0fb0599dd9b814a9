"""Where the analysis of a part runs: in this process (``local``, spaCy's ``n_process`` workers)
or on a Dask cluster (``dask``: a ``LocalCluster`` started here, or an existing scheduler).

Both take parts (lists of records) in order and give back, in the same order, each record with
its analysis or the error that stopped it; the driver alone writes and commits the tables, so the
output folder, resume and the manifest do not depend on the executor. On Dask each worker builds
its :class:`~analyzer.engine.Engine` (pipeline and models) once and keeps it for every part it gets;
at most two parts per worker are in flight, so the driver's memory stays bounded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..config import AnalyzerConfig
from ..engine import Engine
from ..errors import ParameterError
from ..records import ArticleAnalysis, ArticleInput

Outcome = tuple[ArticleInput, ArticleAnalysis | None, str | None]
EXECUTORS = ("local", "dask")


def analyze_part(
    analyzer: Engine, articles: list[ArticleInput], batch_size: int, n_process: int = 1
) -> list[Outcome]:
    """``(article, record or None, error or None)`` for each article, in order; when the batch
    raises, the part is redone one document at a time so only the failing document is lost."""
    if not articles:
        return []
    try:
        records = list(analyzer.analyze_many(articles, batch_size=batch_size, n_process=n_process))
        return [(a, r, None) for a, r in zip(articles, records, strict=True)]
    except Exception:
        out: list[Outcome] = []
        for article in articles:
            try:
                out.append((article, next(iter(analyzer.analyze_many([article], batch_size=1))), None))
            except Exception as exc:
                out.append((article, None, f"{type(exc).__name__}: {exc}"))
        return out


class LocalExecutor:
    """Parts analyzed in this process, spaCy spreading each over ``n_process`` workers."""

    def __init__(self, analyzer: Engine, batch_size: int, n_process: int) -> None:
        self.analyzer = analyzer
        self.batch_size = batch_size
        self.n_process = n_process

    def map(self, parts: Iterator[list[ArticleInput]]) -> Iterator[tuple[list[ArticleInput], list[Outcome]]]:
        for part in parts:
            ready = [a for a in part if not a.problem]
            yield part, analyze_part(self.analyzer, ready, self.batch_size, self.n_process)

    def close(self) -> None:
        """Nothing to release."""

    def describe(self) -> dict[str, Any]:
        return {"executor": "local", "n_process": self.n_process}


@lru_cache(maxsize=2)
def _worker_analyzer(config: AnalyzerConfig) -> Engine:
    analyzer = Engine(config)
    analyzer.nlp  # noqa: B018  (load once per worker process)
    return analyzer


def _remote_part(config: AnalyzerConfig, articles: list[ArticleInput], batch_size: int) -> list[Outcome]:
    return analyze_part(_worker_analyzer(config), articles, batch_size)


class DaskExecutor:
    """Parts sent to Dask workers (see the module docstring)."""

    def __init__(
        self, config: AnalyzerConfig, batch_size: int, n_workers: int, scheduler: str | None
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.config = config
        self.batch_size = batch_size
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self.cluster)
        self.workers = max(len(self.client.scheduler_info().get("workers", {})), 1)
        self.scheduler = self.client.scheduler.address

    def map(self, parts: Iterator[list[ArticleInput]]) -> Iterator[tuple[list[ArticleInput], list[Outcome]]]:
        in_flight: deque = deque()
        for part in parts:
            ready = [a for a in part if not a.problem]
            future = self.client.submit(_remote_part, self.config, ready, self.batch_size, pure=False)
            in_flight.append((part, future))
            if len(in_flight) >= 2 * self.workers:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> dict[str, Any]:
        return {"executor": "dask", "scheduler": self.scheduler, "workers": self.workers}


def make_executor(
    name: str, analyzer: Engine, batch_size: int, n_process: int, scheduler: str | None = None
) -> LocalExecutor | DaskExecutor:
    """The executor called ``name`` (``local`` or ``dask``)."""
    if name == "local":
        if scheduler:
            raise ParameterError("--scheduler", "only with --executor dask", scheduler)
        return LocalExecutor(analyzer, batch_size, n_process)
    if name == "dask":
        return DaskExecutor(analyzer.config, batch_size, n_process, scheduler)
    raise ParameterError("--executor", f"one of {', '.join(EXECUTORS)}", name)
