"""The corpus formats the readers know (a light module: the command line's help lists them)."""

FORMATS = ("auto", "folder", "html", "newsplease", "csv", "tsv", "jsonl", "parquet")
