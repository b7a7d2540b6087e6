"""Intake's use cases: plain functions over the repositories, the same for every entrypoint."""
