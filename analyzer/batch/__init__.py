"""Batch processing of corpora: tidy Parquet tables, committed part by part, resumable."""

from .run import BatchResult, run_batch
from .tables import SCHEMAS, TABLES, record_rows

__all__ = ["SCHEMAS", "TABLES", "BatchResult", "record_rows", "run_batch"]
