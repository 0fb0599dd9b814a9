"""Trained classifiers: tasks, dataset readers, training, evaluation and checked persistence."""

from .datasets import DATASETS, LabeledData, read_dataset
from .metrics import Evaluation
from .persistence import trust_model
from .tasks import TASKS, Task, get_task
from .training import TrainedModel, evaluate, load_trained, train

__all__ = [
    "DATASETS",
    "TASKS",
    "Evaluation",
    "LabeledData",
    "Task",
    "TrainedModel",
    "evaluate",
    "get_task",
    "load_trained",
    "read_dataset",
    "train",
    "trust_model",
]
