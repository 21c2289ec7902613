"""새 범주 후보: what companies keep raising that no category covers, and turning one into a category.

:func:`candidates` clusters an agency's uncovered pain points and requests (see
:func:`analyzer.aggregate.candidates.candidate_issues`), cached until the data or the model change. :func:`promote`
is the taxonomy-evolution ``add``: the deployed taxonomy (or the newest one already made from it and not yet
trained) plus the new category, one version up, written to ``<models root>/taxonomies/``; each unit of the
candidate gets a correction under the new taxonomy (its categories carried over, plus the new one), so
``moksori train --taxonomy FILE`` learns the category from them and ``moksori corrections export`` lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analyzer.aggregate.bundle import records
from analyzer.aggregate.candidates import candidate_issues
from analyzer.errors import AnalyzerError
from analyzer.services.context import Context
from analyzer.services.findings import data_version
from analyzer.store.corrections import add_correction
from analyzer.store.queries import corrections_of
from analyzer.store.uncovered import uncovered_units
from analyzer.taxonomy import Label, Taxonomy, load_taxonomy
from analyzer.taxonomy.changes import ID, Change

TAXONOMIES = "taxonomies"


def candidates(context: Context, agency_id: int | None) -> list[dict[str, Any]]:
    """The candidate issues of an agency (``None``: every agency), largest first. Shared: do not modify."""
    deployed = context.deployed()
    key = ("candidates", agency_id, data_version(context.engine), deployed.model_version)

    def compute() -> dict[str, Any]:
        pool = uncovered_units(context.engine, agency_id, deployed.model_version)
        return {"items": records(candidate_issues(pool))}

    return context.findings_cache.get(key, compute)["items"]


def find_candidate(context: Context, agency_id: int | None, candidate_id: str) -> dict[str, Any]:
    for candidate in candidates(context, agency_id):
        if candidate["candidate_id"] == candidate_id:
            return candidate
    raise AnalyzerError("candidate_not_found", candidate_id[:20])


def taxonomy_folder(context: Context) -> Path:
    return context.models_root / TAXONOMIES


def newest_taxonomy(context: Context) -> Taxonomy:
    """The deployed taxonomy, or the newest file made from it by :func:`promote` (same name, higher version)."""
    newest = context.deployed().taxonomy
    folder = taxonomy_folder(context)
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        made = load_taxonomy(path)
        if made.name == newest.name and made.version > newest.version:
            newest = made
    return newest


def with_category(base: Taxonomy, category: str, label: str, description: str) -> Taxonomy:
    """*base* plus one category, one version up, the step declared as an ``add`` (``category_exists`` when its id
    or label is taken, ``taxonomy_invalid`` for an id that is not snake_case ASCII)."""
    if not ID.match(category) or not label.strip():
        raise AnalyzerError("taxonomy_invalid", f"category: {category[:40]}")
    if category in base.category_ids or label.strip() in {c.label for c in base.categories}:
        raise AnalyzerError("category_exists", category)
    return Taxonomy(
        name=base.name,
        version=base.version + 1,
        categories=(*base.categories, Label(category, label.strip(), description.strip())),
        kinds=base.kinds,
        changes=(*base.changes, Change(source=base.key, add=(category,))),
    )


def promote(
    context: Context, agency_id: int | None, candidate_id: str, category: str, label: str, description: str, author: str
) -> dict[str, Any]:
    """Make candidate *candidate_id* the new category *category*: write the next taxonomy and label its units."""
    candidate = find_candidate(context, agency_id, candidate_id)
    base = newest_taxonomy(context)
    made = with_category(base, category, label, description)
    folder = taxonomy_folder(context)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{made.name}-v{made.version}.yaml"
    path.write_text(made.to_yaml(), encoding="utf-8")
    pool = uncovered_units(context.engine, agency_id, context.deployed().model_version)
    kinds = dict(zip(pool["unit_id"].astype(int), pool["kind"].astype(str), strict=True))
    labelled = 0
    for unit_id in candidate["unit_ids"]:
        if unit_id not in kinds:
            continue  # covered since the candidates were computed
        # the model's weak guesses are not a person's labels: only categories a person gave under a taxonomy not
        # yet trained (an earlier promotion) are carried over, beside the new category
        pending = [row for row in corrections_of(context.engine, unit_id) if row["taxonomy"] == base.key]
        carried = made.remap(pending[-1]["categories"], base.key) if pending else []
        kind = pending[-1]["kind"] if pending else kinds[unit_id]
        add_correction(context.engine, unit_id, [*carried, category], kind, author, taxonomy=made.key)
        labelled += 1
    return {"taxonomy": made.as_dict(), "file": path.name, "labelled_units": labelled}
