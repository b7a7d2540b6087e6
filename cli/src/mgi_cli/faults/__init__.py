"""`mgi faults`: a fault suite against a stack of its own (see README, "Faults")."""
