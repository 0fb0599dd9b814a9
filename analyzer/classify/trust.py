"""Which model files may be unpickled.

A joblib file runs code when it is loaded, so a matching sidecar hash is not enough: the sidecar
may come from the same place as the file. A model file is *trusted* when its SHA-256 is

- the hash of a model shipped with the package (the sidecars in ``analyzer/models/*/``: whoever
  can change those can change the package's code too), or
- recorded in this user's registry of trusted models: every model saved by ``analyzer train`` /
  :func:`analyzer.train` here is recorded, and so is every folder the user vouches for with
  ``--trust-model PATH`` / :func:`analyzer.trust_model`.

The registry is ``$ANALYZER_HOME/trusted_models.json`` (default
``$XDG_CONFIG_HOME/analyzer/trusted_models.json``, i.e. ``~/.config/analyzer/``). Trust is by
content: the same bytes anywhere are trusted, a changed file is not.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import AnalyzerError, DataFileError

HOME_ENV = "ANALYZER_HOME"
REGISTRY_FILE = "trusted_models.json"
REGISTRY_SCHEMA = "analyzer.trusted_models/1"
SHIPPED = Path(__file__).resolve().parents[1] / "models"


class UntrustedModelError(AnalyzerError):
    """A model file is neither shipped nor trained or trusted by this user: it is not unpickled."""

    code = "AZ402"

    def __init__(self, folder: str | Path, sha256: str) -> None:
        super().__init__(
            f"{folder}: model file (sha256 {sha256[:12]}…) is not shipped with analyzer, trained here "
            f"with `analyzer train` or trusted before; loading a model runs code from its file, so one from "
            f"elsewhere is not loaded. If you trust its source, pass --trust-model {folder} "
            f"(Python: analyzer.trust_model({str(folder)!r}) or trust=True)"
        )
        self.path = str(folder)
        self.sha256 = sha256


class TrustRegistryError(DataFileError):
    """The registry of trusted models cannot be read."""

    code = "AZ303"
    hint = "fix or delete {path} (then trust your own models again with --trust-model)"


def registry_path() -> Path:
    """Where this user's trusted model hashes are recorded (see the module docstring)."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home) / REGISTRY_FILE
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "analyzer" / REGISTRY_FILE


def shipped_hashes(folder: Path | None = None) -> set[str]:
    """The SHA-256 of every model shipped in ``folder`` (default: the package's; from their sidecars)."""
    hashes = set()
    for sidecar in (folder or SHIPPED).glob("*/model.json"):
        try:
            value = json.loads(sidecar.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, str):
            hashes.add(value)
    return hashes


def read_registry() -> dict[str, dict[str, Any]]:
    """This user's trusted models: ``{sha256: {"path", "task", "how", "added"}}`` (empty if none)."""
    path = registry_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise TrustRegistryError(path, [(1, f"cannot be read ({exc})")]) from exc
    try:
        models = json.loads(text).get("models", {})
    except (ValueError, AttributeError) as exc:
        raise TrustRegistryError(path, [(1, f"not a {REGISTRY_SCHEMA} JSON file ({exc})")]) from exc
    if not isinstance(models, dict):
        raise TrustRegistryError(path, [(1, "'models' must be an object keyed by sha256")])
    return models


def is_trusted(sha256: str) -> bool:
    """True when a model file with this SHA-256 may be unpickled (shipped or in the registry)."""
    return sha256 in shipped_hashes() or sha256 in read_registry()


def record_trusted(sha256: str, folder: str | Path, how: str, task: str | None = None) -> Path:
    """Add ``sha256`` (the model file in ``folder``) to the registry; returns the registry's path."""
    path = registry_path()
    models = read_registry()
    models[sha256] = {
        "path": str(Path(folder).resolve()),
        "task": task,
        "how": how,
        "added": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    body = json.dumps({"schema": REGISTRY_SCHEMA, "models": models}, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
