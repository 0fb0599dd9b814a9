"""Batch processing of corpora: tidy Parquet tables, committed part by part, resumable."""

from .run import BatchResult, open_result, run_batch
from .tables import SCHEMAS, TABLES, record_rows

__all__ = ["SCHEMAS", "TABLES", "BatchResult", "open_result", "record_rows", "run_batch"]
