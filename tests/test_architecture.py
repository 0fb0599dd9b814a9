"""The code's shape: no private names of the libraries it builds on, a command line that starts
without the heavy libraries, modules of a readable size. (The one-way layers are checked by
import-linter, which ``make test`` runs first: contracts in pyproject.toml.)"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "analyzer"
SOURCES = sorted(PACKAGE.rglob("*.py"))
LIBRARIES = "sklearn|scipy|spacy|numpy|pandas"
PRIVATE_MODULE = re.compile(rf"\b(?:{LIBRARIES})(?:\.\w+)*\._(?!_)\w+")
PRIVATE_IMPORT = re.compile(rf"^\s*from\s+(?:{LIBRARIES})[\w.]*\s+import\s+\(?([^)\n]*)", re.MULTILINE)
MAX_LINES = 600


def test_no_private_name_of_scikit_learn_scipy_or_spacy_is_used():
    found = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group()}" for m in PRIVATE_MODULE.finditer(text)]
        for match in PRIVATE_IMPORT.finditer(text):
            names = [name.strip().split(" as ")[0] for name in match.group(1).split(",")]
            found += [
                f"{path.relative_to(ROOT)}: import {n}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
    assert not found, found


def test_the_private_name_check_can_fail():
    assert PRIVATE_MODULE.search("from scipy.sparse._sparsetools import csr_hstack")
    assert (
        PRIVATE_IMPORT.search("from sklearn.calibration import _SigmoidCalibration").group(1).startswith("_")
    )
    assert not PRIVATE_MODULE.search("doc._.az_framing")


@pytest.mark.parametrize("module", ["analyzer", "analyzer.cli", "analyzer.cli.lexicon"])
def test_importing_the_command_line_loads_no_heavy_library(module):
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('spacy', 'sklearn', 'pandas', 'numpy', 'scipy', 'matplotlib', 'pyarrow', "
        "'dask', 'torch') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]"


def test_analysis_imports_no_training_library():
    code = (
        "import sys, analyzer; az = analyzer.Analyzer(); az.analyze('The council met on Tuesday.'); "
        "print(sorted(m for m in ('sklearn', 'pandas', 'joblib', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_modules_stay_readable_in_size():
    long = {
        str(p.relative_to(ROOT)): n for p in SOURCES if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long
