"""Report rows in worker processes: one task per system, each worker on one thread.

Workers are spawned (a fresh interpreter), never forked: a forked child inherits torch's and OpenMP's
thread state and can hang in it. So a task carries plain data (the caller's function is imported by
name) and the worker rebuilds what it needs. A row does not depend on the process that computes it:
the evaluation draws every random number from a generator seeded per (seed, system, song).
"""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import torch

from jamcore.errors import JamcoreError

# OpenMP (torch), OpenBLAS (numpy) and MKL read these once, when the worker imports them. That happens
# before a pool initializer runs (unpickling the task imports numpy and torch), so the limits go into
# the environment the workers are spawned with.
ONE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_tasks(fn: Callable[..., Any], tasks: Sequence[tuple[str, tuple]], workers: int,
              done: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    """``{name: fn(*args)}`` for every ``(name, args)`` task, computed by ``workers`` spawned processes.

    Tasks start in the order given (put the longest first). ``done(name, result)`` runs in the parent as
    each task finishes. The first task that fails stops the run with an error that names it; tasks not
    yet started are dropped.
    """
    results: dict[str, Any] = {}
    before = set(mp.active_children())  # the pool's workers are the children that appear after this
    with _environment(ONE_THREAD_ENV):  # workers start inside: they inherit it
        pool = ProcessPoolExecutor(min(workers, len(tasks)), mp_context=mp.get_context("spawn"),
                                   initializer=torch.set_num_threads, initargs=(1,))
        try:
            futures = {pool.submit(fn, *args): name for name, args in tasks}
            for future in as_completed(futures):
                name = futures[future]
                results[name] = _result(future, name)
                if done is not None:
                    done(name, results[name])
        except BaseException:  # a failed row or Ctrl-C: stop the rows still running, then report
            _stop(pool, [p for p in mp.active_children() if p not in before])
            raise
        pool.shutdown()
    return results


def _result(future, name: str) -> Any:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise RuntimeError(f"a worker process died (killed, out of memory?) before {name!r} finished") from exc
    except (JamcoreError, ModuleNotFoundError):  # user-facing (an unusable checkpoint, a missing extra):
        raise  # its message names what failed; the CLI prints it as it would from this process
    except Exception as exc:  # a bug: the worker's traceback is chained below this one
        raise RuntimeError(f"{name!r} failed in a worker process: {type(exc).__name__}: {exc}") from exc


def _stop(pool: ProcessPoolExecutor, workers: Sequence[mp.process.BaseProcess]) -> None:
    """End the pool now: queued rows are dropped and rows already running are killed (shutdown alone
    lets them finish, which kept the command waiting for a whole checkpoint's row after an error).
    ``workers``: the pool's processes (the executor has no public way to kill them before Python 3.14)."""
    for p in workers:
        p.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
