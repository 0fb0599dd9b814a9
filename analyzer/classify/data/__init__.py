"""Readers of the labelled datasets the classifiers train and are evaluated on."""

from .datasets import DATASETS, LabeledData, read_dataset

__all__ = ["DATASETS", "LabeledData", "read_dataset"]
