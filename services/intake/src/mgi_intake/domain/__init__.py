"""Intake's pure rules: no I/O, so they are tested without Kafka or a database."""
