"""Event and payload contracts: the only things services share about each other."""
