"""`mgi rollout`: every assessment's stage, completeness and conflicts, read from the APIs."""
