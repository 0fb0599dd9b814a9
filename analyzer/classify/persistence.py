"""Saving and loading trained models with a checked JSON sidecar.

joblib files run code when loaded, so a model file is only unpickled after its SHA-256 matches the
sidecar written next to it at training time (``<name>.joblib`` + ``<name>.json``) *and* that hash is
trusted (shipped, trained here, or trusted by the user: see :mod:`analyzer.classify.trust`). A
mismatch, a missing sidecar or file, or an unknown source is refused with a coded error before
anything is loaded; the bytes that were hashed are the bytes that are unpickled.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import tempfile
import warnings
from pathlib import Path
from typing import Any

import joblib

from ..errors import AnalyzerError, InputNotFoundError
from .trust import UntrustedModelError, is_trusted, record_trusted

MODEL_FILE = "model.joblib"
SIDECAR_FILE = "model.json"
SIDECAR_SCHEMA = "analyzer.model/1"


class ModelIntegrityError(AnalyzerError):
    """A model file does not match its sidecar (or has none): it is not loaded."""

    code = "AZ401"


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def drop_fit_leftovers(estimator: Any, seen: set[int] | None = None) -> None:
    """Remove what fitting keeps only for inspection and prediction never reads: the
    ``stop_words_`` set of text vectorizers (every term cut by ``min_df``/``max_features``, often
    larger than the model itself). scikit-learn documents it as safe to delete before pickling."""
    seen = set() if seen is None else seen
    if id(estimator) in seen:
        return
    seen.add(id(estimator))
    if isinstance(estimator, list | tuple):
        for item in estimator:
            drop_fit_leftovers(item, seen)
    elif isinstance(estimator, dict):
        for item in estimator.values():
            drop_fit_leftovers(item, seen)
    elif hasattr(estimator, "__dict__") and type(estimator).__module__.split(".")[0] in (
        "sklearn",
        "analyzer",
    ):
        if hasattr(estimator, "stop_words_"):
            del estimator.stop_words_
        for item in vars(estimator).values():
            drop_fit_leftovers(item, seen)


def save_model(estimator: Any, folder: str | Path, metadata: dict[str, Any]) -> Path:
    """Write ``estimator`` and its sidecar (``metadata`` plus hash and versions) into ``folder``."""
    drop_fit_leftovers(estimator)
    import sklearn
    import spacy

    from .. import __version__

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / MODEL_FILE
    handle, temporary = tempfile.mkstemp(dir=out, prefix=".model.")
    os.close(handle)
    try:
        joblib.dump(estimator, temporary, compress=3)
        os.chmod(temporary, 0o644)
        os.replace(temporary, model_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sidecar = {
        "schema": SIDECAR_SCHEMA,
        **metadata,
        "file": MODEL_FILE,
        "sha256": file_sha256(model_path),
        "versions": {
            "analyzer": __version__,
            "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__,
            "python": platform.python_version(),
        },
    }
    _atomic_write(out / SIDECAR_FILE, (json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n").encode())
    try:
        record_trusted(sidecar["sha256"], out, "trained", metadata.get("task"))
    except (OSError, AnalyzerError) as exc:
        warnings.warn(
            f"{out}: saved, but not recorded as trusted ({exc}); load it with --trust-model {out}",
            stacklevel=2,
        )
    return out


def read_sidecar(folder: str | Path) -> dict[str, Any]:
    """The sidecar of the model in ``folder``."""
    path = Path(folder) / SIDECAR_FILE
    if not path.is_file():
        raise ModelIntegrityError(f"{path} is missing: a model is only loaded next to its sidecar")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelIntegrityError(f"{path} is not valid JSON ({exc}); retrain or restore the model") from exc


def _model_file(base: Path, sidecar: dict[str, Any]) -> Path:
    """The model file the sidecar names: a plain file name inside ``base``, nothing else."""
    name = sidecar.get("file", MODEL_FILE)
    if (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or "\x00" in name
        or Path(name).name != name
        or "\\" in name
    ):
        raise ModelIntegrityError(
            f"{base / SIDECAR_FILE}: 'file' must be a file name inside {base}; received {name!r}"
        )
    return base / name


def _checked(folder: str | Path, trust: bool) -> tuple[dict[str, Any], bytes]:
    """The sidecar and the model file's bytes, once the bytes match the sidecar and are trusted."""
    base = Path(folder)
    if not base.is_dir():
        raise InputNotFoundError(base, "model folder")
    sidecar = read_sidecar(base)
    model_path = _model_file(base, sidecar)
    if not model_path.is_file():
        raise InputNotFoundError(model_path, "model file")
    data = model_path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sidecar.get("sha256"):
        raise ModelIntegrityError(
            f"{model_path}: sha256 {actual[:12]}… does not match its sidecar ({str(sidecar.get('sha256'))[:12]}…); "
            f"refusing to load a modified model file: retrain it or restore the original"
        )
    if not trust and not is_trusted(actual):
        raise UntrustedModelError(base, actual)
    return sidecar, data


def check_model(folder: str | Path, trust: bool = False) -> dict[str, Any]:
    """The sidecar of the model in ``folder`` once its file matches the sidecar's hash and that
    hash is trusted (``trust=True``: any matching file); nothing is unpickled."""
    return _checked(folder, trust)[0]


def trust_model(folder: str | Path) -> str:
    """Trust the model file in ``folder`` as it is now (its SHA-256, after the sidecar check) for
    this and later runs, as ``--trust-model`` does; returns the hash. Only for a source you trust:
    loading a model runs code from its file."""
    sidecar = check_model(folder, trust=True)
    record_trusted(sidecar["sha256"], folder, "trust_model", sidecar.get("task"))
    return sidecar["sha256"]


def load_model(folder: str | Path, trust: bool = False) -> tuple[Any, dict[str, Any]]:
    """The estimator in ``folder`` and its sidecar, after checking the file's SHA-256 against the
    sidecar and against the trusted models (``trust=True`` skips only the latter, for this call)."""
    sidecar, data = _checked(folder, trust)
    return joblib.load(io.BytesIO(data)), sidecar
