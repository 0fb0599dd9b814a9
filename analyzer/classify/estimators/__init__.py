"""The project's own scikit-learn estimators: calibration grouped by article or outlet, per-target
models, stacked linear heads, and the loaded-word model."""

from .calibration import GroupCalibrated, with_further_mentions
from .loaded_words import LoadedWordModel
from .stacking import NBLogisticRegression, OutOfFoldScores, cross_fit_splits
from .wrappers import PerTargetClassifier

__all__ = [
    "GroupCalibrated",
    "LoadedWordModel",
    "NBLogisticRegression",
    "OutOfFoldScores",
    "PerTargetClassifier",
    "cross_fit_splits",
    "with_further_mentions",
]
