"""Time a match run on a synthetic instance.

    python bench/engine_bench.py --size city --policy stable
    python bench/engine_bench.py --size national --policy max-coverage

Prints the solve time (the matching algorithm alone), every stage's time,
whole-process peak RSS, ranked pairs and pupils placed.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import load  # noqa: E402

from placements.engine import Policy, run_match  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=["city", "national"], default="city")
    parser.add_argument("--policy", choices=["stable", "max-coverage"], default="stable")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true", help="also solve the other policy")
    args = parser.parse_args()
    # Generate in a child process so its temporaries do not count towards this
    # process's peak memory; the instance is cached under var/bench/.
    cache = ROOT / "var" / "bench" / f"{args.size}-{args.seed}.npz"
    if not cache.exists():
        cmd = [sys.executable, str(HERE / "generate.py"), "--size", args.size]
        subprocess.run([*cmd, "--seed", str(args.seed), "--out", str(cache)], check=True)
    policy = Policy(name=args.policy, seed=args.seed, compare_coverage=args.compare)
    t = time.perf_counter()
    data = load(cache, policy)
    print(f"load {time.perf_counter() - t:.2f}s  peak RSS after load {peak_rss_mb():.0f} MB")
    t = time.perf_counter()
    result = run_match(data)
    total = time.perf_counter() - t
    report = result.report
    print(f"size={args.size} policy={args.policy} seed={args.seed}")
    print(f"pupils={report.pupils} opportunities={len(data.opportunities)}")
    print(f"ranked pairs={len(data.pupils.application_opportunity_id)}")
    print(f"solve (main round) {result.timings['solving'] * 1000:.1f} ms")
    for stage, seconds in result.timings.items():
        print(f"  stage {stage:<11} {seconds * 1000:9.1f} ms")
    print(f"whole run {total:.2f}s")
    print(f"placed={report.placed} ({report.placed_rate:.1%})  blocking pairs={report.blocking_pairs}")
    print(f"first choice {report.first_choice_rate:.1%}  top 3 {report.top3_rate:.1%}")
    if report.max_coverage_gain is not None:
        print(f"max-coverage would place {report.max_coverage_gain} more")
    print(f"peak RSS (whole process) {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
