"""The model card: what the model is for, what it was trained on, and how well it does."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from analyzer.classify.tagger import MIN_POSITIVES

PACKAGES = ("moksori", "scikit-learn", "numpy", "scipy", "spacy", "kiwipiepy", "skops", "pandas")


def package_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _table(rows: Sequence[Sequence[object]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(map(str, head)) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in body]
    return "\n".join(lines)


def render_card(metrics: dict[str, Any]) -> str:
    held = metrics.get("held_out") or {}
    cats = held.get("categories", {})
    per_label = [["category", "precision", "recall", "F1", "support"]] + [
        [label, m["precision"], m["recall"], m["f1"], m["support"]] for label, m in cats.get("per_label", {}).items()
    ]
    by_register = _register_rows(held.get("by_register", {}))
    curve = [["abstain threshold", "coverage", "kind accuracy of kept units"]] + [
        [p["threshold"], p["coverage"], p["accuracy"]] for p in held.get("coverage_curve", [])
    ]
    cv = metrics.get("cross_validation") or {}
    cv_rows = [["metric", "mean", "std"]] + [[k, v, cv["std"][k]] for k, v in cv.get("mean", {}).items()]
    cv_registers = _register_rows(cv.get("by_register", {}))
    held_yield = _yield_rows(held.get("review_yield_by_register", {}))
    data = metrics["data"]
    versions = package_versions()
    return f"""# Model card: {metrics["model"]}

## Intended use
Tags units of Korean roundtable minutes, transcripts and survey answers with issue categories (multi-label) and one
statement kind (pain point, request, positive, neutral), for agency staff and leadership who count and review
company feedback. Units whose kind confidence is below the abstain threshold, or whose category probability is
near its threshold, are flagged `needs_review` ("검토 필요") for a person to check. It is not meant for decisions
about individual companies or people, and it has not been validated on languages other than Korean.

## Data
- Corpus: hand-written fictional units in three registers (formal minutes and news-style reports, spoken
  transcripts, terse survey answers), labelled by the guide in `corpora/README.md`.
- Units: {data["units"]} from {data["documents"]} documents (corpus hash `{metrics["corpus_hash"]}`).
- Split by document (hash of the document id): train {data["train_units"]} units / {data["train_documents"]} documents,
  held-out test {data["test_units"]} units / {data["test_documents"]} documents. No document is on both sides.
- Taxonomy: `{metrics["taxonomy"]["name"]}` v{metrics["taxonomy"]["version"]} (fingerprint
  `{metrics["taxonomy"]["fingerprint"]}`); the model refuses any other taxonomy.{_taxonomy_changes(metrics["taxonomy"])}

## Model
Shared features: character 2–4-gram TF-IDF (robust to spacing slips and typos), Kiwi morpheme 1–2-gram TF-IDF,
and counts of a curated lexicon per category and kind. Categories: one logistic regression per label, Platt-
calibrated on document-grouped out-of-fold scores, with an F1-optimal threshold per label from the same folds.
Kind: multinomial logistic regression, sigmoid-calibrated on document-grouped folds. Parameters: `{metrics["params"]}`.
{_model_extras(metrics)}

## Held-out metrics (test documents)
Categories: micro F1 **{cats.get("micro_f1")}**, macro F1 **{cats.get("macro_f1")}**, ECE {cats.get("ece")}.
Kind: accuracy **{held.get("kind", {}).get("accuracy")}**, macro F1 **{held.get("kind", {}).get("macro_f1")}**,
ECE {held.get("kind", {}).get("ece")}. Coverage at the abstain threshold: {held.get("coverage_at_threshold")}
(kind accuracy of accepted units {held.get("kind_accuracy_when_accepted")}).

{_table(per_label)}

By register:

{_table(by_register)}

Review queue by register (share of the first units, ordered by review margin, that the model got wrong; the
base rate is the share over all of that register's units):

{_table(held_yield) if len(held_yield) > 1 else "not measured"}

Coverage versus precision of the abstain threshold:

{_table(curve)}

Reproduce: `moksori evaluate --data corpora/units --split test --json`.

## Document-grouped cross-validation (all documents, {len(cv.get("folds", []))} folds)
{_table(cv_rows) if cv else "not run"}

{_cv_details(cv, cv_registers)}

## Limitations
- The corpus is written by the project team, not sampled from real meetings: real statements use vocabulary it
  never saw, so expect lower scores on real data than above; the lexicon features exist to soften that.
- Boundary categories (support_program vs funding, collaboration vs industry_transition) are the least reliable.
- Off-taxonomy topics (roads, parking, flooding) should get no category; rare wording may still attract one.
- Sentences are split by Kiwi; a badly split run-on sentence can carry two statements with one kind.

## Package versions
{_table([["package", "version"]] + [[k, v] for k, v in versions.items()])}
"""


def _model_extras(metrics: dict[str, Any]) -> str:
    """Card lines for the features and abstention beyond the shared ones, when the model has them."""
    params, lines = metrics.get("params", {}), []
    if params.get("kind_cues"):
        lines.append(
            "The kind model also reads how each sentence ends (the last word's last 1-3 characters, the predicate "
            "each ending closes, the unit's last morphemes) and, in reported speech, the quoted predicate with its "
            "speech verb (달라고 건의, 어렵다고 호소)."
        )
    if params.get("argument_pairs"):
        lines.append("The category models also read predicate-argument pairs and content-word pairs of the morphemes.")
    if params.get("content_words"):
        lines.append(
            "The category models also read the unit's content lemmas (nouns, verbs and adjectives in dictionary "
            "form, roots, Latin words; particles and endings set aside) and each pair of neighbouring ones "
            "(`analyzer.classify.content_words`)."
        )
    if params.get("naive_bayes") is not None:
        lines.append(
            "Each category model is a logistic regression on features scaled by their naive-Bayes log-ratio "
            f"(presence among the label's positives versus its negatives, smoothing {params['naive_bayes']}, "
            f"C {params.get('category_C') or params.get('C')}; `analyzer.classify.nb_logistic`)."
        )
    if params.get("stack"):
        lines.append(
            "Categories are stacked: a second logistic regression per label reads every label's calibrated "
            "log-odds from the document-grouped out-of-fold scores (label co-occurrence: funding versus "
            "support_program, collaboration with industry_transition); each label's threshold is chosen on the "
            "second stage's own out-of-fold probabilities."
        )
    if metrics.get("abstention"):
        shown = ", ".join(f"{r} {t}" for r, t in metrics["abstention"].items())
        lines.append(
            f"Kind abstain threshold per register (the lowest keeping kind accuracy {params.get('kind_precision')} "
            f"on out-of-fold probabilities; the register is inferred from the text when not given): {shown}."
        )
    return "\n".join(lines)


def _register_rows(registers: dict[str, Any]) -> list[list[object]]:
    head: list[object] = [
        "register",
        "units",
        "micro F1",
        "macro F1",
        "kind accuracy",
        "kind macro F1",
        "auto-tagged",
        "kind acc.",
    ]
    return [head] + [
        [
            r,
            m["n"],
            m["micro_f1"],
            m["macro_f1"],
            m["kind_accuracy"],
            m["kind_macro_f1"],
            m.get("coverage", "-"),
            m.get("kind_accuracy_when_accepted", "-"),
        ]
        for r, m in registers.items()
    ]


def _yield_rows(registers: dict[str, list[dict[str, float]]]) -> list[list[object]]:
    head: list[object] = ["register", "first n", "wrong (margin order)", "base rate"]
    return [head] + [
        [r, row["first_n"], row["margin"], row["base_rate"]] for r, rows in registers.items() for row in rows
    ]


def _cv_details(cv: dict[str, Any], registers: list[list[object]]) -> str:
    """Out-of-fold figures by register, per label, and the review queue's yield by register."""
    if not cv.get("by_register"):
        return ""
    pooled = cv.get("pooled", {})
    labels = [["category", "out-of-fold F1"]] + [[k, v] for k, v in pooled.get("per_label", {}).items()]
    return (
        f"By register (every unit scored by the fold that held it out):\n\n{_table(registers)}\n\n"
        f"Per category:\n\n{_table(labels)}\n\nReview queue by register:\n\n"
        f"{_table(_yield_rows(cv.get('review_yield_by_register', {})))}"
    )


def _taxonomy_changes(taxonomy: dict[str, Any]) -> str:
    """Card lines for a changed taxonomy: each declared step and the categories not learnt yet."""
    lines = [
        f"\n- Changed from `{step['from']}`: "
        + "; ".join(
            f"{op} {json.dumps(step[op], ensure_ascii=False)}"
            for op in ("add", "rename", "merge", "retire")
            if op in step
        )
        + ". Corpus labels and stored corrections were carried over by this mapping."
        for step in taxonomy.get("changes", [])
    ]
    if taxonomy.get("untrained"):
        lines.append(
            f"\n- Not learnt yet (fewer than {MIN_POSITIVES} examples, never predicted): "
            f"{', '.join(f'`{c}`' for c in taxonomy['untrained'])}. Correct units with them and retrain."
        )
    return "".join(lines)


def write_card(path: Path, metrics: dict[str, Any]) -> None:
    path.write_text(render_card(metrics), encoding="utf-8")
