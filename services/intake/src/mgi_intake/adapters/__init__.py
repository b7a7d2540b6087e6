"""Intake's storage: one MongoDB collection per aggregate, events kept on the document."""
