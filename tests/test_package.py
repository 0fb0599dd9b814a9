"""Packaging promises: a light import, the typed marker, the console entry point."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources


def test_import_loads_no_model_and_no_spacy():
    code = "import sys, analyzer; print('spacy' in sys.modules, analyzer.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "False"


def test_typed_marker_and_data_files_are_packaged():
    root = resources.files("analyzer")
    assert root.joinpath("py.typed").is_file()
    assert root.joinpath("lexicons/framing_v1.tsv").is_file()
    assert root.joinpath("nlp/aliases.tsv").is_file()
    assert root.joinpath("reporting/templates/report.html.j2").is_file()


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "analyzer", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert all(command in out.stdout for command in ("analyze", "lexicon", "demo"))
