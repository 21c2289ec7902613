"""Deleting a meeting or a document with everything derived from it, and the original files it freed."""

from __future__ import annotations

import logging
from typing import Literal

from analyzer.services.context import Context
from analyzer.store.deletion import Deleted, delete_document, delete_meeting

log = logging.getLogger("moksori.audit")

Target = Literal["meeting", "document"]


def delete(context: Context, target: Target, row_id: int, *, actor: str, agency_id: int | None) -> Deleted | None:
    """Delete a meeting or a document of the agency (``None``: any), audited under *actor*, then remove the
    original files nobody points at any more; ``None`` when there was nothing to delete."""
    remove = delete_meeting if target == "meeting" else delete_document
    deleted = remove(context.engine, row_id, actor=actor, agency_id=agency_id)
    if deleted is None:
        return None
    for path in deleted.blob_paths:
        context.blobs.delete(path)
    log.info("%s deleted %s:%s: %s", actor, target, row_id, deleted.counts)
    return deleted
