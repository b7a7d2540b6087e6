"""Local ports."""

import random
import socket


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768-60999): a port the kernel handed out
    with bind(0) could be given to an outgoing client socket before the server binds it."""
    for port in random.sample(range(20000, 32768), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found between 20000 and 32767")
