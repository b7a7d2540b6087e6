"""API key events are signed by intake and verified by every replica.

Anyone who can write to `mgi.apikeys.v1` could otherwise mint an admin key for every service
that replicates the topic. Each event carries an HMAC-SHA256 of the key record under a secret
that only the services share (MGI_KEY_SIGNING_SECRET): a record without a valid signature is
refused (dead-lettered, so an operator sees it) and never stored.
"""

import hashlib
import hmac
import json

from mgi_shared.auth import ApiKeyRecord


def signature_of(record: ApiKeyRecord, secret: bytes) -> str:
    """Over every field but the signature, in a canonical JSON form. Unset optional fields
    are left out, so adding one to the record keeps older signatures valid."""
    fields = record.model_dump(mode="json", exclude={"signature"}, exclude_none=True)
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(secret, canonical, hashlib.sha256).hexdigest()


def signed(record: ApiKeyRecord, secret: bytes) -> ApiKeyRecord:
    return record.model_copy(update={"signature": signature_of(record, secret)})


def is_authentic(record: ApiKeyRecord, secret: bytes) -> bool:
    return bool(record.signature) and hmac.compare_digest(
        record.signature, signature_of(record, secret)
    )
