"""Feature transformers for training (scikit-learn estimator contract: ``__init__`` stores, ``fit``
learns). Each module is one kind of evidence; :mod:`.tokens` (candidate words of a parsed
sentence) is also read at inference by the loaded-word component, the others only in training:
an exported model scores their output from arrays (:mod:`analyzer.classify.artifacts`)."""
