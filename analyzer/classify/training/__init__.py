"""Training, evaluation and model cards (scikit-learn; never imported when a model is only used)."""
