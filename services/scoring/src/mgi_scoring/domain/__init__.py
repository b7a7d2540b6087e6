"""The scoring rules: pure functions and values, no I/O (contract section 5)."""
