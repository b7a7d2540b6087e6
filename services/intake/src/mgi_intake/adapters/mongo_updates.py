"""Merging update operators, so an effect and its outbox entries go in one write."""

from mgi_shared.mongo import Document


def merge_updates(*updates: Document) -> Document:
    merged: Document = {}
    for update in updates:
        for operator, fields in update.items():
            merged.setdefault(operator, {}).update(fields)
    return merged


def without_outbox(document: Document) -> Document:
    """A stored document minus its outbox bookkeeping, for answers to callers."""
    return {k: v for k, v in document.items() if not k.startswith("outbox")}
