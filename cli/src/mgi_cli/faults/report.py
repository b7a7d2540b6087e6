"""The tables: one per scenario as it ends, and a summary of the run."""

from rich.table import Table

from mgi_cli.faults.audit import Audit
from mgi_cli.faults.injections import WHAT


def _ok(good: bool) -> str:
    return "[green]ok[/green]" if good else "[red]FAIL[/red]"


def scenario_table(name: str, found: Audit) -> Table:
    table = Table(title=f"{name}: {WHAT[name]}", title_justify="left")
    table.add_column("measure")
    table.add_column("found", justify="right")
    table.add_column("expected", justify="right")
    table.add_column("")
    recovery = f"{found.recovery_seconds:.1f} s" if found.recovery_seconds is not None else "-"
    rows = [
        ("submissions acknowledged", found.acknowledged, found.acknowledged + found.refused),
        ("stored", found.stored, found.acknowledged),
        ("stored twice", found.stored_twice, 0),
        ("lost", found.lost, 0),
        ("results identical to the expected", found.results_same, found.results_total),
        ("webhook events sent (distinct)", found.webhooks_sent, found.webhooks_expected),
        ("webhook events sent twice", found.webhooks_twice, 0),
        ("mails sent (distinct)", found.mails_sent, found.mails_expected),
        ("mails sent twice", found.mails_twice, 0),
        ("assessments published", found.published, found.validated),
        ("poison records in mgi.submissions.rejected.v1", found.poison_rejected, found.poison_sent),
    ]
    for label, value, expected in rows:
        table.add_row(label, str(value), str(expected), _ok(value == expected))
    table.add_row("time to recover", recovery, "", _ok(found.recovery_seconds is not None))
    for note in found.notes:
        table.add_row(f"[dim]{note}[/dim]", "", "", "")
    return table


def summary_table(audits: dict[str, Audit]) -> Table:
    table = Table(title="mgi faults: every scenario", title_justify="left")
    for column in ("scenario", "acked", "stored", "twice", "lost", "results", "webhooks",
                   "mails", "published", "poison", "recovery", "verdict"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("scenario", "verdict") else "right")
    for name, a in audits.items():
        problems = a.failures()
        recovery = f"{a.recovery_seconds:.1f} s" if a.recovery_seconds is not None else "-"
        table.add_row(
            name, str(a.acknowledged), str(a.stored), str(a.stored_twice), str(a.lost),
            f"{a.results_same}/{a.results_total}", f"{a.webhooks_sent}/{a.webhooks_expected}",
            f"{a.mails_sent}/{a.mails_expected}", f"{a.published}/{a.validated}",
            f"{a.poison_rejected}/{a.poison_sent}", recovery,
            "[green]pass[/green]" if not problems else f"[red]FAIL: {'; '.join(problems)}[/red]",
        )  # fmt: skip
    return table
