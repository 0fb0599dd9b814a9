"""The output folder of a batch run: Parquet parts committed atomically, a lock, and resume.

Layout of ``OUT``::

    documents/part-000001.parquet  entities/...  mentions/...  framing/...  sentences/...  stance/...  texts/...
    _parts/part-000001.json        # the commit marker of part 1: its documents and failures
    manifest.json                  # written at the end of the run
    .lock                          # while a run is writing

A part's table files are written under temporary names and renamed into place; its marker is
written (also by rename) only after all of them. A part without a marker does not exist: resume
deletes its files and processes its documents again. So after any interruption, ``kill -9``
included, every document ends up in exactly one committed part.

When a write fails (a full disk, no permission) the run stops with a coded one-line error
(:func:`write_failed`: ``AZ502`` when out of room, ``AZ501`` otherwise) after removing the files of
the part it was writing, so only committed parts are ever found under final names.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError, OutputFullError
from .tables import SCHEMAS, TABLES

try:
    import fcntl
except ImportError:  # Windows: the lock falls back to the owner's pid
    fcntl = None  # type: ignore[assignment]

MARKERS = "_parts"
LOCK = ".lock"
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


def write_failed(folder: Path, what: str, exc: OSError, then: str) -> OutputError:
    """The coded one-line error for an ``OSError`` met while ``what`` in ``folder``: out of room
    (``AZ502``), no permission, or another reason, each with what to do (``then``)."""
    reason = exc.strerror or str(exc)
    if exc.errno in NO_ROOM:
        return OutputFullError(f"{folder}: no room left while {what} ({reason}); free space, then {then}")
    if exc.errno in NO_PERMISSION:
        return OutputError(
            f"{folder}: no permission to write there while {what} ({reason}); "
            f"choose a writable --out or fix its permissions, then {then}"
        )
    return OutputError(f"{folder}: {what} failed ({reason}); {then}")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` under a temporary name and rename it into place; on failure the temporary
    file is removed, so ``path`` is either the whole of ``data`` or untouched."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_HELD: set[int] = set()


def _close_held_locks() -> None:
    """In a forked child (spaCy's ``n_process`` workers), close the lock files inherited from the
    run: the lock belongs to the run, and a worker outliving a killed run must not keep it."""
    for handle in _HELD:
        with contextlib.suppress(OSError):
            os.close(handle)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_locks)


def _locked(handle: int) -> bool:
    """Take an exclusive lock on the open file ``handle`` without waiting; False if another open
    file holds it. The kernel releases it when its holder ends, ``kill -9`` included."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _owner(handle: int) -> dict[str, Any]:
    """The run named in an open lock file (empty when the file is empty or unreadable)."""
    try:
        return json.loads(os.pread(handle, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _same_file(path: Path, handle: int) -> bool:
    """Whether ``path`` still names the open file ``handle``."""
    try:
        return os.stat(path).st_ino == os.fstat(handle).st_ino
    except FileNotFoundError:
        return False


class PartStore:
    """Writes and finds the committed parts of one output folder."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._lock_handle: int | None = None

    def lock(self) -> None:
        """Take the folder's lock, or refuse (naming the other run's pid, host and start) when a
        live run holds it. The lock is a ``flock`` on ``.lock``, released by the kernel when its
        run ends however it ends, so a killed run's lock is taken over; the file names the holder.
        A lock written on another host is not taken over (a shared folder may not share locks)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / MARKERS).mkdir(exist_ok=True)
        except OSError as exc:
            raise write_failed(self.folder, "creating the output folder", exc, "run again") from exc
        path = self.folder / LOCK
        host = socket.gethostname()
        for _ in range(3):
            try:
                handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise write_failed(self.folder, f"creating the lock {LOCK}", exc, "run again") from exc
            mine = _locked(handle)
            other = _owner(handle)
            if mine and not _same_file(path, handle):  # the holder removed it as we opened it
                os.close(handle)
                continue
            alive_here = other.get("host") == host and _pid_alive(int(other.get("pid") or 0))
            if not mine or other.get("host") not in (None, host) or (fcntl is None and alive_here):
                os.close(handle)
                raise OutputError(
                    f"{self.folder} is in use by another run (pid {other.get('pid')} on host "
                    f"{other.get('host')}, started {other.get('started')}); wait for it to finish, "
                    f"or remove {path} if that run is gone"
                )
            owner = {"pid": os.getpid(), "host": host, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            try:
                os.ftruncate(handle, 0)
                os.pwrite(handle, json.dumps(owner).encode("utf-8"), 0)
            except OSError as exc:
                os.close(handle)
                raise write_failed(self.folder, f"writing the lock {LOCK}", exc, "run again") from exc
            self._lock_handle = handle
            _HELD.add(handle)
            return
        raise OutputError(f"{self.folder}: could not take the lock {path}; run again")

    def unlock(self) -> None:
        """Remove the lock file and release the lock."""
        if self._lock_handle is None:
            return
        (self.folder / LOCK).unlink(missing_ok=True)
        _HELD.discard(self._lock_handle)
        os.close(self._lock_handle)
        self._lock_handle = None

    def markers(self) -> list[dict[str, Any]]:
        """The committed parts' markers, in part order."""
        folder = self.folder / MARKERS
        if not folder.is_dir():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("part-*.json"))]

    def clean_uncommitted(self) -> int:
        """Delete table files of parts without a marker and temporary files; returns how many."""
        committed = {f"part-{m['part']:06d}.parquet" for m in self.markers()}
        removed = 0
        for table in TABLES:
            folder = self.folder / table
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name not in committed:
                    path.unlink()
                    removed += 1
        for path in [*(self.folder / MARKERS).glob(".*"), *self.folder.glob(".manifest.json.tmp-*")]:
            path.unlink()
            removed += 1
        return removed

    def write_part(self, number: int, tables: dict[str, pa.Table], marker: dict[str, Any]) -> None:
        """Write part ``number``'s tables, then its marker (the commit). When a write fails the
        files of the part written so far are removed too, so the folder holds committed parts only
        and whatever room they took is free again."""
        name = f"part-{number:06d}.parquet"
        written: list[Path] = []
        try:
            for table in TABLES:
                folder = self.folder / table
                folder.mkdir(exist_ok=True)
                sink = pa.BufferOutputStream()
                pq.write_table(tables.get(table, SCHEMAS[table].empty_table()), sink, compression="zstd")
                _write_atomic(folder / name, sink.getvalue().to_pybytes())
                written.append(folder / name)
            body = json.dumps({"part": number, **marker}, ensure_ascii=False).encode("utf-8")
            _write_atomic(self.folder / MARKERS / f"part-{number:06d}.json", body)
        except OSError as exc:
            for path in written:
                path.unlink(missing_ok=True)
            raise write_failed(
                self.folder, f"writing part {number}", exc,
                f"rerun with --resume (the committed parts are kept; part {number} was not)",
            ) from exc  # fmt: skip

    def write_manifest(self, manifest: dict[str, Any]) -> Path:
        """Write ``manifest.json`` (the sign of a finished run)."""
        path = self.folder / "manifest.json"
        try:
            _write_atomic(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        except OSError as exc:
            raise write_failed(self.folder, "writing manifest.json", exc, "rerun with --resume") from exc
        return path

    def read_manifest(self) -> dict[str, Any]:
        """The finished run's manifest; a folder without one is not (yet) a complete output."""
        path = self.folder / "manifest.json"
        if not path.is_file():
            raise OutputError(
                f"{self.folder}: no manifest.json, so no finished batch run is there; "
                "finish it with `analyzer batch ... --resume` or give the folder passed to --out"
            )
        return json.loads(path.read_text(encoding="utf-8"))

    def iter_table(self, table: str) -> Iterator[pa.Table]:
        """The committed parts of ``table`` one by one, in part order (none for a table that an
        older version did not write): memory holds one part at a time."""
        if not (self.folder / table).is_dir():
            return
        for marker in self.markers():
            yield pq.read_table(
                self.folder / table / f"part-{marker['part']:06d}.parquet", schema=SCHEMAS[table]
            )

    def read_table(self, table: str) -> pa.Table:
        """All committed parts of ``table`` (in part order) as one Arrow table."""
        parts = list(self.iter_table(table))
        return pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
