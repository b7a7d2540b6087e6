"""`mgi trace SUBMISSION_ID|TRACE_ID`: a trace the local receiver kept, as a tree."""

import typer

from mgi_cli.console import console
from mgi_cli.traces.store import read_spans
from mgi_cli.traces.tree import render_tree, trace_ids_for
from mgi_shared.settings import PlatformSettings


def trace(
    submission_or_trace_id: str = typer.Argument(
        ..., metavar="SUBMISSION_ID|TRACE_ID", help="a submission id or a 32-hex-digit trace id"
    ),
) -> None:
    """Print the trace of a submission (or a trace id) with each span's service, name and
    duration, from the spans `mgi stack up`'s receiver keeps under MGI_DATA_DIR/traces."""
    folder = PlatformSettings().mgi_data_dir.resolve() / "traces"
    spans = list(read_spans(folder))
    trace_ids = trace_ids_for(submission_or_trace_id, spans)
    shown = 0
    for trace_id in trace_ids:
        members = [span for span in spans if span["trace_id"] == trace_id]
        if not members:
            continue
        shown += 1
        console.print(f"trace {trace_id} ({len(members)} spans)", highlight=False)
        for line in render_tree(members):
            console.print(line, highlight=False, markup=False, soft_wrap=True)
    if not shown:
        console.print(
            f"no trace found for {submission_or_trace_id} under {folder} "
            "(spans reach it only while `mgi stack up` runs its own receiver)"
        )
        raise typer.Exit(1)
