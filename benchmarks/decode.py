"""The search's decoder, the core's (plain Python) beside the numba-compiled one that
`--optimize` uses (the optimize extra), on PSPLIB instances: microseconds per forward
decoding of a random priority list (justification's backward ones are not timed).

    .venv/bin/python benchmarks/decode.py ../shared/data/psplib/j30 ../shared/data/psplib/j60
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from ontrack.core.rcpsp import Problem, decoder
from ontrack.interop.psplib import load_instance, to_problem
from ontrack.solver import compiled_decode

ROUNDS = 200


def problems(folder: Path, every: int) -> list[Problem]:
    return [to_problem(load_instance(p)) for p in sorted(folder.glob("*.sm"))[::every]]


def per_decoding(pbs: list[Problem], make: object) -> float:
    rng = random.Random(0)
    decoders = [(pb.size, make(pb)) for pb in pbs]  # type: ignore[operator]
    keys = [[[rng.random() for _ in range(n)] for _ in range(ROUNDS)] for n, _ in decoders]
    t0 = time.perf_counter()
    for (_, decode), ks in zip(decoders, keys, strict=True):
        for key in ks:
            decode(key)
    return (time.perf_counter() - t0) / (len(pbs) * ROUNDS) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--every", type=int, default=10, help="take every n-th instance")
    args = parser.parse_args()
    if not compiled_decode.available():
        raise SystemExit("numba is not installed: pip install -e '.[optimize]'")
    compiled_decode.warm()
    print(f"{'set':<6}{'n':>5}{'core µs':>10}{'compiled µs':>13}{'speed-up':>10}")
    for folder in args.folders:
        pbs = problems(folder, args.every)
        core = per_decoding(pbs, decoder)
        fast = per_decoding(pbs, compiled_decode.decoder)
        print(f"{folder.name:<6}{len(pbs):>5}{core:>10.1f}{fast:>13.1f}{core / fast:>9.1f}×")


if __name__ == "__main__":
    main()
