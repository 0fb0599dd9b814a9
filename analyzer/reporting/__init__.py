"""Reports: HTML and tabular summaries of analyzed articles."""
