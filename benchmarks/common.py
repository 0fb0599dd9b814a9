"""What every benchmark script shares: writing its result file and echoing it."""

from __future__ import annotations

import json
from pathlib import Path


def write_result(result: dict, out: str | Path) -> None:
    """Write ``result`` as indented JSON to ``out`` (folders created) and print it."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
