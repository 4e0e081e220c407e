"""How a worker catches up with a large import: the change log replayed page by page beside a
rebuild of every index, on the same service.

Builds (or copies, with ``--home``: the home itself is never written) a synthetic store with an
active model, starts a ``MatchService`` with both indexes built (its vacancies' and, after one
candidates call, its seekers'), then in one run:

1. ``engine.refresh()`` — the rebuild from the store, what every worker did past
   ``CATCH_UP_LIMIT`` (5,000) pending changes before;
2. for each count of ``--changes``: that many vacancies written again (one more opening each)
   and as many seekers (their résumé with a space added) through the store, as an import in
   another process would; the next ``engine()`` call replays them (pages of
   ``CATCH_UP_LIMIT``) — its time, beside the rebuild's, and whether it rebuilt instead
   (``REBUILD_SHARE`` of the indexed records).

    python benchmarks/bench_catch_up.py [--home DIR] [--changes 2000 6000] [--seekers 4000]
        [--vacancies 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker, Vacancy
from matcher.learning.training import save_run, train_run
from matcher.ranking.service import CATCH_UP_LIMIT, MatchService, rebuilds
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate

DAY = dt.date(2022, 9, 20)


def _one_more_opening(vacancy: Vacancy) -> Vacancy:
    return vacancy.model_copy(update={"openings": vacancy.openings + 1})


def _spaced(seeker: Seeker) -> Seeker:
    return seeker.model_copy(update={"resume_text": seeker.resume_text + " "})


def fill(home: Path, seekers: int, vacancies: int) -> None:
    with Store.open(home) as store:
        generate(store, seekers=seekers, vacancies=vacancies, seed=3)
        run = train_run(store, baselines=())
    registry = registry_for(home)
    registry.promote(save_run(registry, run).version)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="copy this data directory (left unchanged)")
    parser.add_argument("--changes", type=int, nargs="+", default=[2_000, 6_000])
    parser.add_argument("--seekers", type=int, default=4_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        if args.home:
            shutil.copytree(args.home, home)
        else:
            fill(home, args.seekers, args.vacancies)
        day_file = home / "bench-day.txt"
        day = dt.date.fromisoformat(day_file.read_text().strip()) if day_file.exists() else DAY
        service = MatchService(home, load_campaigns(), today=day, check_interval=0.0)
        try:
            engine = service.engine()
            store = service.store
            seekers = store.list(Seeker, limit=max(args.changes))
            some = store.list(Vacancy, limit=1)[0]
            service.candidates(some.id, 5)  # builds the seeker index too
            print(f"indexed records: {engine.indexed:,} (vacancies and seekers)")
            started = time.perf_counter()
            engine.refresh()
            rebuild = time.perf_counter() - started
            print(f"rebuild every index (engine.refresh): {rebuild:.1f} s")
            for count in args.changes:
                for kind, changed in (
                    ("vacancies", [_one_more_opening(v) for v in store.list(Vacancy, limit=count)]),
                    ("seekers", [_spaced(s) for s in seekers[:count]]),
                ):
                    pending = len(changed)
                    store.put_many(changed)
                    rebuilt = rebuilds(pending, engine.indexed)
                    started = time.perf_counter()
                    service.engine()
                    took = time.perf_counter() - started
                    way = "rebuilt" if rebuilt else f"replayed in pages of {CATCH_UP_LIMIT:,}"
                    print(
                        f"{pending:,} {kind} changed: caught up in {took:.1f} s ({way}); "
                        f"{took / rebuild:.2f}× the rebuild"
                    )
        finally:
            service.close()


if __name__ == "__main__":
    main()
