"""Declared changes between taxonomy versions: categories added, renamed, merged and retired.

A taxonomy file lists, oldest first, the steps that led to it::

    changes:
      - from: moksori-default@1          # the taxonomy (name@version) this step changes
        add: [carbon_neutral]
        rename: {support_program: program_operation}
        merge: {ecosystem: [collaboration, industry_transition]}
        retire: [regulation]

Each step turns the taxonomy named in its ``from`` into the one named by the next step's ``from`` (the last step
into the file's own taxonomy). A category a step does not name keeps its id. Statement kinds do not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.errors import AnalyzerError

ID = re.compile(r"^[a-z][a-z0-9_]*$")
KEY = re.compile(r"^[^@\s]+@[0-9]+$")
_FIELDS = {"from", "add", "rename", "merge", "retire"}


@dataclass(frozen=True, slots=True)
class Change:
    """One step from the taxonomy *source* (``name@version``) to the next one."""

    source: str
    add: tuple[str, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()
    retire: tuple[str, ...] = ()

    def apply(self, category: str) -> tuple[str, ...]:
        """The ids *category* has after this step (none when it is retired)."""
        if category in self.retire:
            return ()
        for old, new in self.rename:
            if old == category:
                return (new,)
        for target, sources in self.merge:
            if category in sources:
                return (target,)
        return (category,)

    @property
    def gone(self) -> set[str]:
        """Ids that no longer exist after this step."""
        merged = {source for target, sources in self.merge for source in sources if source != target}
        return {*self.retire, *(old for old, _ in self.rename), *merged}

    @property
    def created(self) -> set[str]:
        """Ids this step brings in (added, rename targets and merge targets)."""
        return {*self.add, *(new for _, new in self.rename), *(target for target, _ in self.merge)}

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"from": self.source}
        if self.add:
            out["add"] = list(self.add)
        if self.rename:
            out["rename"] = dict(self.rename)
        if self.merge:
            out["merge"] = {target: list(sources) for target, sources in self.merge}
        if self.retire:
            out["retire"] = list(self.retire)
        return out


def _ids(raw: object, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(item, str) and ID.match(item) for item in raw):
        raise AnalyzerError("taxonomy_invalid", f"{where}: a list of snake_case category ids is expected")
    return tuple(raw)


def _pairs(raw: object, where: str) -> dict[str, object]:
    if not isinstance(raw, dict) or not all(isinstance(key, str) and ID.match(key) for key in raw):
        raise AnalyzerError("taxonomy_invalid", f"{where}: a mapping keyed by category ids is expected")
    return raw


def _change(raw: object, index: int) -> Change:
    where = f"changes[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("from"), str) or not KEY.match(raw["from"]):
        raise AnalyzerError("taxonomy_invalid", f"{where}: 'from' must name a taxonomy as name@version")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise AnalyzerError("taxonomy_invalid", f"{where}: unknown keys {sorted(unknown)}")
    rename = _pairs(raw.get("rename", {}), f"{where}.rename")
    merge = _pairs(raw.get("merge", {}), f"{where}.merge")
    change = Change(
        source=raw["from"],
        add=_ids(raw.get("add", []), f"{where}.add"),
        rename=tuple((old, _ids(new, f"{where}.rename")[0]) for old, new in rename.items()),
        merge=tuple((target, _ids(sources, f"{where}.merge")) for target, sources in merge.items()),
        retire=_ids(raw.get("retire", []), f"{where}.retire"),
    )
    named = [*change.retire, *(old for old, _ in change.rename), *(s for _, ss in change.merge for s in ss)]
    if len(set(named)) != len(named):
        raise AnalyzerError("taxonomy_invalid", f"{where}: a category is renamed, merged or retired twice")
    if change.gone & set(change.add):
        raise AnalyzerError("taxonomy_invalid", f"{where}: a category is both added and removed")
    return change


def parse_changes(raw: object, own_key: str, category_ids: Iterable[str]) -> tuple[Change, ...]:
    """The ``changes`` list of a taxonomy file, checked: unique ``from`` keys, none of them the file's own, and the
    last step consistent with the file's categories (what it creates exists, what it removes does not)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise AnalyzerError("taxonomy_invalid", "'changes' must be a list of steps")
    changes = tuple(_change(item, i) for i, item in enumerate(raw))
    sources = [change.source for change in changes]
    if len(set(sources)) != len(sources) or own_key in sources:
        raise AnalyzerError("taxonomy_invalid", "every step needs its own 'from', other than this taxonomy")
    if changes:
        last, categories = changes[-1], set(category_ids)
        if missing := last.created - categories:
            raise AnalyzerError("taxonomy_invalid", f"changes name categories that do not exist: {sorted(missing)}")
        if kept := last.gone & categories:
            raise AnalyzerError("taxonomy_invalid", f"changes remove categories that still exist: {sorted(kept)}")
    return changes


def chain_mapping(
    changes: tuple[Change, ...], source: str, target: str, old_ids: Iterable[str], new_ids: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Where each category of taxonomy *source* ends up in taxonomy *target* (empty tuple: retired).

    Raises ``taxonomy_unmapped`` when no step starts at *source*, and ``taxonomy_invalid`` when a category would
    land on an id *target* does not have.
    """
    old_ids, known = list(old_ids), set(new_ids)
    if source == target:
        return {old: (old,) if old in known else () for old in old_ids}
    starts = [i for i, change in enumerate(changes) if change.source == source]
    if not starts:
        raise AnalyzerError("taxonomy_unmapped", f"{source} → {target}")
    mapping = {}
    for old in old_ids:
        current: tuple[str, ...] = (old,)
        for change in changes[starts[0] :]:
            current = tuple(dict.fromkeys(new for category in current for new in change.apply(category)))
        if unknown := set(current) - known:
            raise AnalyzerError("taxonomy_invalid", f"{old} ({source}) → {sorted(unknown)}: not in {target}")
        mapping[old] = current
    return mapping
