"""Loading the shipped model in a new process: skops (with its trust check) against pickle with an allow-list
unpickler (an equivalent check: only listed classes may be built), a bare ``import sklearn``, and the export
analysis loads (:mod:`analyzer.classify.compiled`), same run.

Run: python benchmarks/bench_model_load.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, median_seconds

SKOPS = """
from analyzer.classify.artefact import load_tagger
from analyzer.classify.registry import deployed_dir, shipped_models_root
load_tagger(deployed_dir(shipped_models_root()))
"""
PICKLE = """
import pickle, sys
PREFIXES = ("sklearn.", "numpy", "scipy.", "analyzer.", "builtins.", "collections.", "re.", "copyreg.", "_codecs.")
REFUSED = {"builtins.eval", "builtins.exec", "builtins.getattr", "builtins.__import__", "builtins.open"}
class Checked(pickle.Unpickler):
    def find_class(self, module, name):
        full = f"{module}.{name}"
        if full in REFUSED or not full.startswith(PREFIXES):
            raise pickle.UnpicklingError(full)
        return super().find_class(module, name)
with open(sys.argv[1], "rb") as handle:
    Checked(handle).load()
"""
SKLEARN = "import sklearn.linear_model, sklearn.feature_extraction.text, sklearn.compose"
EXPORT = """
from analyzer.classify.compiled import load_compiled
from analyzer.classify.registry import deployed_dir, shipped_models_root
assert load_compiled(deployed_dir(shipped_models_root())) is not None
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from analyzer.classify.artefact import load_tagger
    from analyzer.classify.registry import deployed_dir, shipped_models_root

    tagger = load_tagger(deployed_dir(shipped_models_root()))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.pickle"
        path.write_bytes(pickle.dumps(tagger, protocol=5))

        def run(code: str, *argv: str) -> float:
            command = [sys.executable, "-c", code, *argv]
            return median_seconds(lambda: subprocess.run(command, check=True, cwd=ROOT, env=env), args.repeats)

        bare = run(SKLEARN)
        skops = run(SKOPS)
        checked = run(PICKLE, str(path))
        exported = run(EXPORT)
        bare_python = run("pass")
    print(f"import sklearn (estimators used): {bare:.2f} s")
    print(f"skops load with the trust check: {skops:.2f} s ({skops - bare:+.2f} s over the import)")
    print(f"pickle with an allow-list unpickler: {checked:.2f} s ({checked - bare:+.2f} s over the import)")
    print(f"the export (npz without pickle, JSON, skops hash): {exported:.2f} s; python alone {bare_python:.2f} s")


if __name__ == "__main__":
    main()
