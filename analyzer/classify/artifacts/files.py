"""A model on disk: a folder of data, checked before it is read.

::

    models/<name>/
      model.json     what the model is: task, labels, the scoring graph, data, metrics, versions
      model.npz      its arrays (vocabularies, idf, weights, calibration, word tables)
      model.sha256   the sidecar: SHA-256 of model.json and model.npz (``sha256sum -c`` reads it)
      README.md      the model card, rendered from model.json

Reading a model never runs code from its files: JSON is parsed, the arrays are loaded with
``allow_pickle=False``, and both files must first match the sidecar byte for byte, so a modified or
truncated file is refused with a coded error naming it. A folder of another format or format
version is refused with a one-line error too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import AnalyzerError, InputNotFoundError
from .arrays import ModelArrays

FORMAT = "analyzer.model"
FORMAT_VERSION = 2
METADATA_FILE = "model.json"
ARRAYS_FILE = "model.npz"
SIDECAR_FILE = "model.sha256"
CHECKED_FILES = (METADATA_FILE, ARRAYS_FILE)


class ModelIntegrityError(AnalyzerError):
    """A model file does not match its sidecar, or the sidecar is missing: nothing is read."""

    code = "AZ401"


class ModelFormatError(AnalyzerError):
    """A model folder is not of this format or format version."""

    code = "AZ403"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """``arrays`` as the bytes of a compressed ``.npz`` (no object arrays: they would need pickle)."""
    for key, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise ValueError(f"array {key!r} holds Python objects; models store numbers and term lists only")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{key: np.asarray(array) for key, array in arrays.items()})
    return buffer.getvalue()


def write_model(folder: str | Path, metadata: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> Path:
    """Write ``model.json`` (``metadata`` with the format fields), ``model.npz`` and the sidecar
    into ``folder``; each file is replaced atomically, the sidecar last."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, **metadata}
    contents = {
        METADATA_FILE: (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
        ARRAYS_FILE: npz_bytes(arrays),
    }
    for name, data in contents.items():
        _atomic_write(out / name, data)
    sidecar = "".join(f"{sha256_bytes(data)}  {name}\n" for name, data in contents.items())
    _atomic_write(out / SIDECAR_FILE, sidecar.encode("ascii"))
    return out


def read_sidecar(folder: Path) -> dict[str, str]:
    """``file name -> SHA-256`` from the folder's sidecar (coded error when missing or malformed)."""
    path = folder / SIDECAR_FILE
    if not path.is_file():
        if (folder / "model.joblib").is_file():
            raise ModelFormatError(
                f"{folder / 'model.joblib'}: a pickled model of analyzer 0.1, no longer loaded (loading "
                "it would run code from the file); retrain it with `analyzer train ... --out "
                f"{folder}` (its model card names the command)"
            )
        raise ModelIntegrityError(f"{path} is missing: a model is only read next to its sidecar")
    hashes = {}
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or name not in CHECKED_FILES:
            raise ModelIntegrityError(f"{path}: malformed line {line[:80]!r}; restore or retrain the model")
        hashes[name] = digest
    if set(hashes) != set(CHECKED_FILES):
        raise ModelIntegrityError(
            f"{path}: must list {', '.join(CHECKED_FILES)}; restore or retrain the model"
        )
    return hashes


def _checked_bytes(folder: Path, name: str, expected: str) -> bytes:
    path = folder / name
    if not path.is_file():
        raise InputNotFoundError(path, "model file")
    data = path.read_bytes()
    actual = sha256_bytes(data)
    if actual != expected:
        raise ModelIntegrityError(
            f"{path}: sha256 {actual[:12]}… does not match its sidecar ({expected[:12]}…); refusing to "
            "read a modified model file: retrain it or restore the original"
        )
    return data


def _sidecar_of(folder: str | Path) -> tuple[Path, dict[str, str]]:
    base = Path(folder)
    if not base.is_dir():
        raise InputNotFoundError(base, "model folder")
    return base, read_sidecar(base)


def read_metadata(folder: str | Path) -> dict[str, Any]:
    """The checked ``model.json`` of the model in ``folder`` (its arrays are not read)."""
    base, hashes = _sidecar_of(folder)
    return _parsed(base / METADATA_FILE, _checked_bytes(base, METADATA_FILE, hashes[METADATA_FILE]))


def _parsed(path: Path, data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFormatError(f'{path}: not an {FORMAT} file (no "format": "{FORMAT}")')
    if document.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"{path}: format version {document.get('format_version')!r}, this analyzer reads version "
            f"{FORMAT_VERSION}; retrain the model with this version (its card names the command)"
        )
    return document


def read_model(folder: str | Path) -> tuple[dict[str, Any], ModelArrays]:
    """The checked metadata and arrays of the model in ``folder``."""
    base, hashes = _sidecar_of(folder)
    metadata = _parsed(base / METADATA_FILE, _checked_bytes(base, METADATA_FILE, hashes[METADATA_FILE]))
    data = _checked_bytes(base, ARRAYS_FILE, hashes[ARRAYS_FILE])
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelFormatError(f"{base / ARRAYS_FILE}: not a readable .npz of numbers ({exc})") from exc
    return metadata, ModelArrays(arrays, hashes[ARRAYS_FILE])
