"""Run the fault-injection tests and print, per fault: time to recover, messages lost and duplicated.

    DATABASE_URL=... CELERY_BROKER_URL=... REDIS_URL=... .venv/bin/python bench/faults_report.py

Each test in tests/faults records its figures (FAULT_REPORT names the file); "lost" counts runs
left unfinished, recipients never told, emails missing and outbox rows never sent; "duplicated"
counts extra emails, extra matches and pupils holding two live placements. Both targets are 0.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "faults.jsonl"
        began = time.monotonic()
        command = [sys.executable, "-m", "pytest", "tests/faults", "-m", "faults", "-q",
                   "-p", "no:cacheprovider", "-n", "0", *sys.argv[1:]]  # fmt: skip
        done = subprocess.run(command, cwd=REPO, env={**os.environ, "FAULT_REPORT": str(report)})
        took = time.monotonic() - began
        rows = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    width = max([len(r["fault"]) for r in rows] + [5])
    print(f"\n{'fault':<{width}}  recovered in   lost  duplicated")
    for row in rows:
        seconds = f"{row['recovered_seconds']:.1f} s" if row["recovered_seconds"] else "-"
        print(f"{row['fault']:<{width}}  {seconds:>12}  {row['lost']:>5}  {row['duplicated']:>10}")
    lost, duplicated = sum(r["lost"] for r in rows), sum(r["duplicated"] for r in rows)
    print(
        f"{len(rows)} faults in {took:.0f} s; lost {lost}, duplicated {duplicated} "
        f"(pytest exit {done.returncode})"
    )
    return done.returncode or int(bool(lost or duplicated))


if __name__ == "__main__":
    raise SystemExit(main())
