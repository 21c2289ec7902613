"""Rewrites the counts section of corpora/README.md from the corpus (run after editing the corpus).

python scripts/corpus_counts.py          rewrite the section
python scripts/corpus_counts.py --check  exit 1 if the section is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analyzer.corpus import load_corpus
from analyzer.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "corpora" / "README.md"
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"


def counts_markdown(frame: pd.DataFrame) -> str:
    taxonomy = load_taxonomy()
    lines = [
        f"{len(frame)} units from {frame['doc'].nunique()} documents after near-duplicate removal "
        f"(train {int((frame['split'] == 'train').sum())} units / "
        f"{frame.loc[frame['split'] == 'train', 'doc'].nunique()} documents, "
        f"test {int((frame['split'] == 'test').sum())} units / "
        f"{frame.loc[frame['split'] == 'test', 'doc'].nunique()} documents); "
        f"{frame['industry'].nunique()} industries, {frame['region'].nunique()} regions; "
        f"{int((frame['categories'].map(len) == 0).sum())} units with no category, "
        f"{int((frame['categories'].map(len) >= 2).sum())} with two or more.",
        "",
    ]
    exploded = frame.explode("categories").dropna(subset=["categories"])
    for register in ("minutes", "transcript", "survey"):
        part = exploded[exploded["register"] == register]
        units = int((frame["register"] == register).sum())
        lines += [f"**{register}** ({units} units)", "", "| category | " + " | ".join(taxonomy.kind_ids) + " |"]
        lines.append("|---|" + "---|" * len(taxonomy.kind_ids))
        table = part.groupby(["categories", "kind"]).size()
        for category in taxonomy.category_ids:
            cells = [str(int(table.get((category, kind), 0))) for kind in taxonomy.kind_ids]
            lines.append(f"| {category} | " + " | ".join(cells) + " |")
        none = frame[(frame["register"] == register) & (frame["categories"].map(len) == 0)]
        cells = [str(int((none["kind"] == kind).sum())) for kind in taxonomy.kind_ids]
        lines += ["| (none) | " + " | ".join(cells) + " |", ""]
    return "\n".join(lines)


def render(readme: str, frame: pd.DataFrame) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{counts_markdown(frame)}\n{END}{tail}"


def main() -> int:
    frame = load_corpus([ROOT / "corpora" / "units"], load_taxonomy())
    current = README.read_text(encoding="utf-8")
    fresh = render(current, frame)
    if "--check" in sys.argv:
        return 0 if fresh == current else 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
