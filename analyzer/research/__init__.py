"""Research-only tools for the notebooks: Korean figures (:mod:`.plots`) and labeller agreement (:mod:`.agreement`).

They need the ``research`` extra (matplotlib, statsmodels, cleanlab), which the runtime does not install; the
library, the CLI and the service never import this package (an import-linter contract in ``pyproject.toml``).
Without the extra, importing a research module raises a :class:`ModuleNotFoundError` that says how to install it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

RESEARCH_PACKAGES = ("matplotlib", "statsmodels", "cleanlab")
INSTALL_HINT = "pip install 'moksori[research]'"


@contextmanager
def research_extra() -> Iterator[None]:
    """Re-raise a missing research package as a :class:`ModuleNotFoundError` with a Korean install hint."""
    try:
        yield
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in RESEARCH_PACKAGES:
            raise
        message = f"연구용 기능에 필요한 '{error.name}' 패키지가 설치되어 있지 않습니다. 설치: {INSTALL_HINT}"
        raise ModuleNotFoundError(message, name=error.name) from error
