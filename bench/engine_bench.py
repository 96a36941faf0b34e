"""Time a match run on a synthetic instance.

    python bench/engine_bench.py --size city --policy stable --repeat 5
    python bench/engine_bench.py --size national --policy max-coverage

Every run is a fresh process (so peak memory is that run's alone); with
``--repeat`` the best and the median are printed too. A run prints the load
average, loading the instance, loading the compiled code (numba import, then
compiling or loading cached machine code), the solve time (the matching
algorithm alone), every stage's time, the whole ``run_match`` time, the
whole-process peak RSS, ranked pairs and pupils placed.

``--cold`` compiles into a fresh cache (first run on a machine);
``--no-numba`` measures the numpy/OR-Tools fallback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def one_run(args: argparse.Namespace) -> dict[str, object]:
    """One run in this process; returns its figures."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from generate import load

    from placements.engine import Policy, run_match, stable

    figures: dict[str, object] = {"load_average": os.getloadavg()[0]}
    t = time.perf_counter()
    policy = Policy(name=args.policy, seed=args.seed, compare_coverage=args.compare)
    data = load(args.cache, policy)
    figures["load_s"] = time.perf_counter() - t
    figures["rss_after_load_mb"] = peak_rss_mb()
    coverage_too = args.policy == "max-coverage" or args.compare
    if args.no_numba and coverage_too:
        t = time.perf_counter()
        from ortools.graph.python import min_cost_flow  # noqa: F401

        figures["ortools_import_s"] = time.perf_counter() - t
    elif not args.no_numba:
        t = time.perf_counter()
        import numba  # noqa: F401

        figures["numba_import_s"] = time.perf_counter() - t
        t = time.perf_counter()
        stable.warm_up(coverage=coverage_too)
        figures["compiled_code_s"] = time.perf_counter() - t
    cpu_stages: dict[str, float] = {}
    clock = [time.process_time()]

    def on_stage(stage: str, _fraction: float) -> None:
        now = time.process_time()
        cpu_stages[stage] = cpu_stages.get(stage, 0.0) + now - clock[0]
        clock[0] = now

    t, cpu = time.perf_counter(), time.process_time()
    clock[0] = cpu
    result = run_match(data, on_stage=on_stage)
    figures["run_s"] = time.perf_counter() - t
    figures["run_cpu_s"] = time.process_time() - cpu
    figures["solve_ms"] = result.timings["solving"] * 1000
    figures["stages_ms"] = {k: v * 1000 for k, v in result.timings.items()}
    figures["stages_cpu_ms"] = {k: v * 1000 for k, v in cpu_stages.items()}
    report = result.report
    figures |= {
        "pupils": report.pupils,
        "opportunities": len(data.opportunities),
        "ranked_pairs": len(data.pupils.application_opportunity_id),
        "placed": report.placed,
        "placed_rate": report.placed_rate,
        "blocking_pairs": report.blocking_pairs,
        "max_coverage_gain": report.max_coverage_gain,
        "result_hash": report.result_hash[:16],
        "peak_rss_mb": peak_rss_mb(),
    }
    return figures


def show(f: dict[str, object]) -> None:
    stages = f["stages_ms"]
    assert isinstance(stages, dict)
    warm = (
        f"numba import {f['numba_import_s']:.2f}s, compiled code {f['compiled_code_s']:.2f}s"
        if "numba_import_s" in f
        else f"OR-Tools import {f['ortools_import_s']:.2f}s"
        if "ortools_import_s" in f
        else "no compiled code"
    )
    print(
        f"load avg {f['load_average']:.2f} | load {f['load_s']:.2f}s | {warm} | "
        f"solve {f['solve_ms']:.1f} ms | run {f['run_s']:.2f}s (CPU {f['run_cpu_s']:.2f}s) | "
        f"peak RSS {f['peak_rss_mb']:.0f} MB"
    )
    cpu = f["stages_cpu_ms"]
    assert isinstance(cpu, dict)
    print(
        "   stages (wall / CPU): "
        + ", ".join(f"{k} {v:.0f} / {cpu.get(k, 0):.0f} ms" for k, v in stages.items())
    )
    print(
        f"   pupils={f['pupils']} opportunities={f['opportunities']} ranked pairs={f['ranked_pairs']} "
        f"placed={f['placed']} ({f['placed_rate']:.1%}) blocking pairs={f['blocking_pairs']} "
        f"max-coverage gain={f['max_coverage_gain']} result={f['result_hash']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["city", "national"], default="city")
    parser.add_argument("--policy", choices=["stable", "max-coverage"], default="stable")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true", help="also solve the other policy")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each in a fresh process")
    parser.add_argument("--cold", action="store_true", help="compile into a fresh numba cache")
    parser.add_argument("--no-numba", action="store_true", help="numpy/OR-Tools fallback")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.cache = ROOT / "var" / "bench" / f"{args.size}-{args.seed}.npz"
    if args.child:
        print(json.dumps(one_run(args)))
        return
    # Generate in a child process so its temporaries do not count towards a
    # run's peak memory; the instance is cached under var/bench/.
    if not args.cache.exists():
        cmd = [sys.executable, str(HERE / "generate.py"), "--size", args.size]
        subprocess.run([*cmd, "--seed", str(args.seed), "--out", str(args.cache)], check=True)
    child = [sys.executable, __file__, "--child", *sys.argv[1:]]
    runs = []
    for _ in range(args.repeat):
        env = dict(os.environ)
        if args.cold:
            env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-cache-")
        if args.no_numba:
            env["MOBILITY_ENGINE_NUMBA"] = "0"
        done = subprocess.run(child, env=env, check=True, capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        show(figures)
        runs.append(figures)
    print(f"size={args.size} policy={args.policy} seed={args.seed} runs={len(runs)}")
    for name in (
        "solve_ms",
        "run_s",
        "run_cpu_s",
        "peak_rss_mb",
        "numba_import_s",
        "compiled_code_s",
        "ortools_import_s",
    ):
        values = [float(str(r[name])) for r in runs if name in r]
        if values:
            print(f"  {name:<16} best {min(values):10.2f}   median {statistics.median(values):10.2f}")
    for stage in runs[0]["stages_ms"]:
        wall = [float(r["stages_ms"][stage]) for r in runs]
        cpu = [float(r["stages_cpu_ms"].get(stage, 0.0)) for r in runs]
        print(
            f"  {stage:<16} median {statistics.median(wall):8.0f} ms wall "
            f"{statistics.median(cpu):8.0f} ms CPU"
        )
    loads = [float(str(r["load_average"])) for r in runs]
    print(f"  load average     {min(loads):.2f} - {max(loads):.2f}")


if __name__ == "__main__":
    main()
