"""Importing a large Microsoft Project XML (MSPDI) file.

A generated plan of N tasks (10,000 by default; staffed, with outcomes, see networks.py)
is scheduled and exported as MSPDI, as MS Project would save it; then, best of --repeat
runs, the script times side by side in the same run:

- the baseline: parsing the file with lxml alone (what any reader pays before it reads a
  value; the import uses the same safe parser),
- reading: the file into ontrack's plan (`read_mspdi`),
- the whole `ontrack import mspdi` use case: reading, checking, the schedule without
  levelling and the comparison with the file's dates, writing the plan file,
- with the `msproject` extra and Java installed: MPXJ (Java) converting the same file,
  for another tool's reading time of the same XML.

    .venv/bin/python benchmarks/interop.py [--tasks 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from lxml import etree

from cpm import best_of
from networks import generate
from ontrack.app import imports
from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.levelling import LevelSettings
from ontrack.app.services import schedule_options
from ontrack.core.schedule import schedule
from ontrack.interop.mpp import MppUnavailable, mpp_to_mspdi
from ontrack.interop.mspdi import to_mspdi
from ontrack.interop.mspdi_read import read_mspdi

SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    plan = generate(args.tasks, staffed=True)
    sched = schedule(plan, schedule_options(LevelSettings(level=False)))
    data = to_mspdi(plan, sched, CountryHolidays())
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "plan.xml", Path(tmp) / "plan.yaml"
        source.write_bytes(data)
        links = sum(len(t.after) for t, _ in plan.walk_tasks())
        print(f"MSPDI file: {args.tasks:,} tasks, {links:,} links, {len(data) / 2**20:.1f} MB")
        print(f"best of {args.repeat} runs")
        rows = [
            ("lxml parse alone (baseline)", lambda: etree.fromstring(data, SAFE)),
            ("read into a plan (read_mspdi)", lambda: read_mspdi(data, str(source))),
            ("whole import (check, schedule, compare, write)",
             lambda: imports.import_mspdi(source, target)),
        ]  # fmt: skip
        try:
            mpp_to_mspdi(source)
            rows.append(("MPXJ (Java) converting the same file", lambda: mpp_to_mspdi(source)))
        except MppUnavailable as e:
            print(f"(no MPXJ column: {e})", file=sys.stderr)
        for name, fn in rows:
            print(f"  {name:<50} {best_of(args.repeat, fn):7.2f} s")
        done = imports.import_mspdi(source, target)
        print(f"dates agreeing with the file: {done.compared - len(done.differences):,} of "
              f"{done.compared:,}")  # fmt: skip


if __name__ == "__main__":
    main()
