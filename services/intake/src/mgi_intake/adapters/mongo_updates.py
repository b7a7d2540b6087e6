"""Stored documents as callers see them."""

from mgi_shared.mongo import Document


def without_outbox(document: Document) -> Document:
    """A stored document minus its outbox bookkeeping, for answers to callers."""
    return {k: v for k, v in document.items() if not k.startswith("outbox")}
