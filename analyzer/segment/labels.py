"""Speaker labels for segmentation: the grammar lives in :mod:`analyzer.speakers`, which redaction reads too."""

from __future__ import annotations

from analyzer.speakers import BULLET, PSEUDONYM, SpeakerLabel, block_label, parse_label

__all__ = ["BULLET", "PSEUDONYM", "SpeakerLabel", "block_label", "parse_label"]
