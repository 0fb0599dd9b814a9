"""The top-level ``models/`` folder is installed as the package ``analyzer.models`` (wheel and
editable install alike); everything else is configured in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["analyzer*"]), "analyzer.models"], package_dir={"analyzer.models": "models"})
