"""Reading a service's own /metrics in tests: how far its consumer has got."""

HANDLED = "mgi_records_handled_total{"


def records_handled(metrics_text: str, topic: str) -> int:
    """Records of `topic` handled successfully, as the process counted them so far (the
    registry is the process's: a test takes the difference across what it sends)."""
    return int(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics_text.splitlines()
            if line.startswith(HANDLED) and f'topic="{topic}"' in line and 'outcome="ok"' in line
        )
    )
