"""The shipped trained models, one folder each (data only: model.json, model.npz, model.sha256 and
the model card README.md). Installed with the package as ``analyzer.models``."""
