"""Trained classifiers: tasks, training and evaluation, models stored as data, and their use.

Used at analysis time (numpy and scipy only): :mod:`.model` (read a model folder),
:mod:`.apply` (fill a record's stance, bias and leaning), :mod:`.components` (the loaded-word
spaCy component), with :mod:`.artifacts` (files, scoring graph), :mod:`.text` and
:mod:`.encoder`. Used for training (scikit-learn): :mod:`.tasks` (one module per task),
:mod:`.features`, :mod:`.estimators`, :mod:`.data` (dataset readers) and :mod:`.training`.
"""
