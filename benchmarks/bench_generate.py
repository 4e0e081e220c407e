"""Benchmark the synthetic data generator: in memory and into a store, beside a small baseline.

Usage::

    .venv/bin/python benchmarks/bench_generate.py                    # 100k seekers, 20k vacancies
    .venv/bin/python benchmarks/bench_generate.py --seekers 20000 --vacancies 4000

Each measurement runs in a fresh process (so that its peak resident memory, ``ru_maxrss``, is its
own): ``generate_dataset`` (everything in memory) and ``generate`` into a temporary
``JOBMATCH_HOME`` store (seekers are streamed in blocks, interactions written in chunks). The
same two are run at the baseline size (10k/2k by default) and the ratios printed, so a
regression shows as a changed ratio as well as a changed time.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    mode: str
    seekers: int
    vacancies: int
    seconds: float
    peak_mb: float
    records: int
    interactions: int
    database_mb: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return (self.records + self.interactions) / self.seconds


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure_in_memory(seekers: int, vacancies: int, seed: int) -> Measurement:
    from matcher.synth import generate_dataset

    started = time.perf_counter()
    dataset = generate_dataset(seekers=seekers, vacancies=vacancies, seed=seed)
    seconds = time.perf_counter() - started
    records = (
        len(dataset.seekers)
        + len(dataset.contacts)
        + len(dataset.employers)
        + len(dataset.vacancies)
    )
    return Measurement(
        "in memory", seekers, vacancies, seconds, _peak_mb(), records, len(dataset.interactions)
    )


def measure_into_store(seekers: int, vacancies: int, seed: int) -> Measurement:
    from matcher.storage.store import DATABASE_NAME, Store
    from matcher.synth import generate

    with tempfile.TemporaryDirectory(prefix="jobmatch-bench-") as home:
        os.environ["JOBMATCH_HOME"] = home
        with Store.open(home) as store:
            started = time.perf_counter()
            summary = generate(store, seekers=seekers, vacancies=vacancies, seed=seed)
            seconds = time.perf_counter() - started
        size = sum(path.stat().st_size for path in Path(home).glob(f"{DATABASE_NAME}*"))
    records = summary.seekers + summary.contacts + summary.employers + summary.vacancies
    return Measurement(
        "into store",
        seekers,
        vacancies,
        seconds,
        _peak_mb(),
        records,
        summary.interaction_count,
        size / 2**20,
    )


def _run(function_name: str, seekers: int, vacancies: int, seed: int) -> Measurement:
    function = {"memory": measure_in_memory, "store": measure_into_store}[function_name]
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, seekers, vacancies, seed).result()


def _line(measurement: Measurement) -> str:
    database = f"{measurement.database_mb:8.0f}" if measurement.database_mb else f"{'—':>8}"
    return (
        f"{measurement.mode:<11}{measurement.seekers:>9,}{measurement.vacancies:>11,}"
        f"{measurement.seconds:>9.1f}{measurement.peak_mb:>9.0f}{database}"
        f"{measurement.interactions:>14,}{measurement.rows_per_second:>11,.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-seekers", type=int, default=10_000)
    parser.add_argument("--baseline-vacancies", type=int, default=2_000)
    arguments = parser.parse_args(argv)

    sizes = {
        "baseline": (arguments.baseline_seekers, arguments.baseline_vacancies),
        "full": (arguments.seekers, arguments.vacancies),
    }
    results: dict[tuple[str, str], Measurement] = {}
    print(
        f"{'mode':<11}{'seekers':>9}{'vacancies':>11}{'seconds':>9}{'peak MB':>9}{'db MB':>8}"
        f"{'interactions':>14}{'rows/s':>11}"
    )
    for size_name, (seekers, vacancies) in sizes.items():
        for mode in ("memory", "store"):
            measurement = _run(mode, seekers, vacancies, arguments.seed)
            results[size_name, mode] = measurement
            print(_line(measurement), flush=True)

    print()
    scale = arguments.seekers / arguments.baseline_seekers
    for mode in ("memory", "store"):
        full, base = results["full", mode], results["baseline", mode]
        print(
            f"{full.mode}: full/baseline time ×{full.seconds / base.seconds:.1f}, "
            f"peak memory ×{full.peak_mb / base.peak_mb:.1f}, "
            f"interactions ×{full.interactions / base.interactions:.1f} "
            f"(size ×{scale:.0f})"
        )
    writing = results["full", "store"].seconds - results["full", "memory"].seconds
    print(
        f"store writing adds about {writing:.1f} s at full size "
        f"({results['full', 'store'].seconds:.1f} s in all)"
    )


if __name__ == "__main__":
    main()
