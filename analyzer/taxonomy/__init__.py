"""The issue taxonomy (categories and statement kinds) and how its versions map onto each other."""

from analyzer.taxonomy.changes import Change, chain_mapping
from analyzer.taxonomy.schema import DEFAULT_KINDS, Label, Taxonomy, load_taxonomy, parse_taxonomy

__all__ = ["DEFAULT_KINDS", "Change", "Label", "Taxonomy", "chain_mapping", "load_taxonomy", "parse_taxonomy"]
