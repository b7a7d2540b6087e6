"""Scoring use cases: plain functions over a repository, and the events they emit."""
