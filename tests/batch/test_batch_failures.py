"""Batch runs that go wrong for real: repeated kill -9 and resume, a full disk, a folder without
write permission, and two runs into one folder. Every run here is a real ``python -m analyzer batch``
subprocess; the output is checked against the uninterrupted run of the sample corpus."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analyzer.batch import TABLES
from analyzer.batch.store import LOCK, MARKERS, PartStore
from analyzer.errors import OutputError
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow

SORT_KEYS = ("entity_id", "hit", "sentence", "start", "kind", "target")


def batch_command(out: Path, *extra: str) -> list[str]:
    """``python -m analyzer batch`` on the sample corpus, a part every two documents."""
    return [
        sys.executable, "-m", "analyzer", "batch", str(SAMPLE), "--out", str(out),
        "--part-size", "2", "--batch-size", "2", "--quiet", *extra,
    ]  # fmt: skip


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a batch subprocess: it imports this checkout of ``analyzer``."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def committed(out: Path) -> int:
    """How many parts of ``out`` are committed (have a marker)."""
    return len(list((out / MARKERS).glob("part-*.json")))


def assert_every_visible_part_is_whole(out: Path) -> None:
    """Each file under a final name (``TABLE/part-NNNNNN.parquet``) is a complete Parquet file,
    and no record is in two committed parts."""
    for path in out.glob("*/part-*.parquet"):
        pq.read_table(path)  # raises on a truncated file
    keys = [key for marker in PartStore(out).markers() for key in marker["keys"]]
    assert len(keys) == len(set(keys)), "a record was committed twice"


def assert_same_tables(got: Path, expected: Path) -> None:
    """Every table of ``got`` holds the rows of ``expected`` (order of parts aside), no more."""
    for name in TABLES:
        left, right = (
            PartStore(got).read_table(name).to_pandas(),
            PartStore(expected).read_table(name).to_pandas(),
        )
        key = ["doc_id"] + [c for c in SORT_KEYS if c in left]
        pd.testing.assert_frame_equal(
            left.sort_values(key).reset_index(drop=True), right.sort_values(key).reset_index(drop=True)
        )
    assert PartStore(got).read_table("documents").to_pandas()["doc_id"].is_unique


def _lock_owner(out: Path) -> int | None:
    """The pid named in ``out``'s lock file, if any."""
    try:
        return json.loads((out / LOCK).read_text()).get("pid")
    except (OSError, ValueError):
        return None


def one_line_error(stderr: str) -> str:
    """The CLI's error message, checked to be the only line on stderr."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{stderr}"
    assert lines[0].startswith("error: [AZ5"), lines[0]
    return lines[0]


@pytest.mark.model
def test_five_kills_at_random_moments_then_resume_give_the_uninterrupted_tables(sample_run, tmp_path):
    """Five ``kill -9`` of one batch run, each followed by ``--resume``: one at a random time
    during start-up (imports), one a random time after the run took the lock (loading the
    pipeline), three after a random number of newly committed parts plus a random delay, so they
    hit a part being analyzed or written. The seeded generator
    makes the schedule reproducible; the moments still depend on the machine's speed, which is why
    the mid-run kills wait for commits instead of sleeping a fixed time. After the last resume the
    tables equal the uninterrupted run's (no row lost, none twice)."""
    _, reference = sample_run
    out = tmp_path / "killed"
    rng = random.Random(7)
    history = []
    for attempt, moment in enumerate(["start-up", "mid-run", "model loading", "mid-run", "mid-run"]):
        before = committed(out) if out.exists() else 0
        stderr = tmp_path / f"stderr-{attempt}.txt"
        with stderr.open("wb") as err:
            resume = ["--resume"] if attempt else []
            process = subprocess.Popen(
                batch_command(out, *resume), env=child_env(), stdout=subprocess.DEVNULL, stderr=err
            )
            if moment == "start-up":
                time.sleep(rng.uniform(0.2, 3.0))
            elif moment == "model loading":  # the lock is taken just before the pipeline loads
                deadline = time.time() + 120
                while process.poll() is None and _lock_owner(out) != process.pid and time.time() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.0, 1.5))
            else:
                grow, deadline = rng.randint(1, 3), time.time() + 120
                while process.poll() is None and committed(out) < before + grow and time.time() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.0, 0.4))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()
        assert process.returncode in (0, -signal.SIGKILL), stderr.read_text()
        history.append((moment, before, committed(out), process.returncode))
        assert committed(out) >= before
        assert_every_visible_part_is_whole(out)
    landed = [h for h in history if h[0] == "mid-run" and h[3] == -signal.SIGKILL and h[2] > h[1]]
    assert len(landed) >= 2, f"most mid-run kills should land between commits: {history}"
    finished = subprocess.run(
        batch_command(out, "--resume"), env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert_same_tables(out, reference)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["records"] == 46 and manifest["counts"]["failures"] == 0
    assert manifest["counts"]["parts"] == committed(out) and not (out / LOCK).exists()


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    """A run killed with ``-9`` leaves ``.lock`` behind, maybe empty (killed between creating and
    filling it) or naming a pid that the system has since given to another process (here: this
    one). Neither may block the folder: only a live run's lock does. A lock written on another
    host is not taken over, and the refusal names that run."""
    out = tmp_path / "out"
    out.mkdir()
    for left_behind in ("", json.dumps({"pid": os.getpid(), "host": socket.gethostname()})):
        (out / LOCK).write_text(left_behind)
        store = PartStore(out)
        store.lock()
        assert json.loads((out / LOCK).read_text())["pid"] == os.getpid()
        store.unlock()
        assert not (out / LOCK).exists()
    (out / LOCK).write_text(
        json.dumps({"pid": 4321, "host": "node-7", "started": "2026-11-29T01:00:00+0000"})
    )
    with pytest.raises(OutputError) as refused:
        PartStore(out).lock()
    assert "pid 4321 on host node-7, started 2026-11-29T01:00:00+0000" in str(refused.value)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_worker_does_not_keep_the_lock_of_a_killed_run(tmp_path):
    """spaCy's ``n_process`` workers are forked from the run and may outlive it when it is killed
    with ``-9``. They must not hold its lock, or ``--resume`` would be refused until they die."""
    store = PartStore(tmp_path / "out")
    store.lock()
    ready, started = os.pipe()
    worker = os.fork()
    if worker == 0:  # the worker (fork hooks done): says it runs, then outlives the run
        os.write(started, b"1")
        time.sleep(30)
        os._exit(0)
    try:
        assert os.read(ready, 1) == b"1"
        os.close(store._lock_handle)  # the run dies without unlocking, as under kill -9
        PartStore(tmp_path / "out").lock()
    finally:
        os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
        os.close(ready)
        os.close(started)


@pytest.mark.model
def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(sample_run, tmp_path):
    """Two real batch runs into one folder: the second (with or without ``--resume``) is refused
    at once with one line naming the first run's pid, host and start time, and leaves the first
    alone, which finishes with the same tables as an uninterrupted run."""
    _, reference = sample_run
    out = tmp_path / "shared"
    first = subprocess.Popen(
        batch_command(out), env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 120
    while first.poll() is None and _lock_owner(out) != first.pid and time.time() < deadline:
        time.sleep(0.02)
    assert first.poll() is None, "the first run ended before the second could start"
    for extra in ([], ["--resume"]):
        second = subprocess.run(batch_command(out, *extra), env=child_env(), capture_output=True, text=True)
        message = one_line_error(second.stderr)
        assert second.returncode == 2 and "[AZ501]" in message
        assert f"{out} is in use by another run (pid {first.pid} on host {socket.gethostname()}" in message
        assert f"started {time.strftime('%Y-%m-%d')}" in message
    assert first.poll() is None, "the first run ended before the second was refused: inconclusive"
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert_same_tables(out, reference)
    assert not (out / LOCK).exists()


@pytest.fixture()
def small_disk(tmp_path):
    """A 256 KiB tmpfs (needs root with CAP_SYS_ADMIN; skipped elsewhere): ``(folder, grow)``,
    ``grow()`` enlarging it to 16 MiB."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'mount failed'})")

    def grow() -> None:
        subprocess.run(["mount", "-o", "remount,size=16m", str(folder)], check=True)

    try:
        yield folder, grow
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _ignore_sigxfsz() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails with EFBIG instead


def _assert_failed_cleanly(out: Path, result: subprocess.CompletedProcess) -> None:
    """The run stopped with AZ502 on one line naming the folder; under the final names there are
    only committed, complete Parquet parts and no temporary file is left."""
    message = one_line_error(result.stderr)
    assert result.returncode == 2 and "[AZ502]" in message and str(out) in message, message
    assert "no room left while writing part" in message and "--resume" in message
    assert_every_visible_part_is_whole(out)
    parts = {f"part-{m['part']:06d}.parquet" for m in PartStore(out).markers()}
    assert {p.name for p in out.glob("*/part-*.parquet")} <= parts, "an uncommitted part is visible"
    assert not [p for p in out.rglob(".*") if p.name != LOCK], "temporary files are left"
    assert not (out / "manifest.json").exists() and not (out / LOCK).exists()


@pytest.mark.model
def test_out_of_disk_space_stops_with_a_coded_error_and_no_partial_file(sample_run, small_disk):
    """A real full disk: the output folder is on a 256 KiB tmpfs, which fills after a few parts
    (the kernel answers ENOSPC). The run stops with AZ502 and the folder holds committed parts
    only. With room again (the tmpfs grown), ``--resume`` finishes the run."""
    _, reference = sample_run
    folder, grow = small_disk
    out = folder / "out"
    full = subprocess.run(batch_command(out), env=child_env(), capture_output=True, text=True, timeout=300)
    _assert_failed_cleanly(out, full)
    assert "No space left on device" in full.stderr and committed(out) >= 1
    grow()
    resumed = subprocess.run(
        batch_command(out, "--resume"), env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert_same_tables(out, reference)


@pytest.mark.model
@pytest.mark.skipif(not hasattr(resource, "prlimit"), reason="resource.prlimit is Linux-only")
def test_a_file_size_limit_stops_with_the_same_coded_error(sample_run, tmp_path):
    """Where mounting is not allowed (an unprivileged container), the same failure of a write
    comes from the kernel through RLIMIT_FSIZE: with SIGXFSZ ignored, a write past 14,000 bytes fails
    with EFBIG. The limit is set on the running process (``prlimit``) once its first part is
    committed, because it binds every file the process writes and start-up writes a larger one
    (the language identifier unpacks its model to a temporary file). The sample's ``texts`` parts
    are 11-16 kB, so a later part fails. Then ``--resume`` without the limit finishes the run."""
    _, reference = sample_run
    out = tmp_path / "limited"
    process = subprocess.Popen(
        batch_command(out), env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=_ignore_sigxfsz,
    )  # fmt: skip
    deadline = time.time() + 120
    while (
        process.poll() is None
        and not (out / MARKERS / "part-000001.json").exists()
        and time.time() < deadline
    ):
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before the limit could be set"
    resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (14_000, 14_000))
    _, stderr = process.communicate(timeout=300)
    _assert_failed_cleanly(out, subprocess.CompletedProcess(process.args, process.returncode, "", stderr))
    assert os.strerror(errno.EFBIG) in stderr
    resumed = subprocess.run(
        batch_command(out, "--resume"), env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert_same_tables(out, reference)


def _without_root_override() -> None:
    """Run as root but bound by file permissions: drop CAP_DAC_OVERRIDE (1) and
    CAP_DAC_READ_SEARCH (2) from the capability bounding set before exec (prctl PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_an_output_folder_without_write_permission_is_refused_in_one_line(tmp_path):
    """A folder the run may not write to (mode 0555): as an ordinary user that is enough; as root
    (which ignores modes) the run drops the capabilities that let it override them, so the kernel
    really answers EACCES. Both a new folder under it and the folder itself are refused with
    AZ501 naming the folder, and nothing is created."""
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    preexec = _without_root_override if os.geteuid() == 0 else None
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import os, sys; os.mkdir(sys.argv[1])", str(readonly / "probe")],
            preexec_fn=preexec, capture_output=True, text=True,
        )  # fmt: skip
        if probe.returncode == 0:
            pytest.skip("file modes do not bind this process here (cannot drop root's DAC override)")
        for out in (readonly / "new", readonly):
            refused = subprocess.run(
                batch_command(out),
                env=child_env(),
                preexec_fn=preexec,
                capture_output=True,
                text=True,
                timeout=300,
            )
            message = one_line_error(refused.stderr)
            assert refused.returncode == 2 and "[AZ501]" in message and str(out) in message, message
            assert "no permission to write there" in message and "Permission denied" in message
        assert list(readonly.iterdir()) == []
    finally:
        readonly.chmod(0o755)
