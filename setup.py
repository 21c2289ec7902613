"""Packages: analyzer and api as found, plus the shipped ``models/`` and ``corpora/`` folders as the
``moksori_models`` and ``moksori_corpus`` packages.

Everything else is declared in pyproject.toml; only this mapping cannot be said there together with discovery.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["analyzer*", "api*"]), "moksori_models", "moksori_corpus"],
    package_dir={"moksori_models": "models", "moksori_corpus": "corpora"},
)
