"""Dead letters: reading them back from the dead-letter topics, and replaying them."""
