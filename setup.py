"""Packages: analyzer and api as found, plus the shipped ``models/`` folder as the ``moksori_models`` package.

Everything else is declared in pyproject.toml; only this mapping cannot be said there together with discovery.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["analyzer*", "api*"]), "moksori_models"],
    package_dir={"moksori_models": "models"},
)
