"""Helpers for the project's own tests against the real broker and database."""
