"""`python -m mgi_cli.prepare`: fetch the broker's and the database's jars ahead of the first start."""

import os
from pathlib import Path

from mgi_cli.console import log
from mgi_cli.infra import kafka, mongodb
from mgi_cli.stack import REPO_ROOT


def main() -> None:
    cache_dir = Path(os.environ.get("MGI_CACHE_DIR", Path.home() / ".cache" / "mgi"))
    kafka.ensure_classpath(REPO_ROOT, cache_dir, log)
    mongodb.ensure_classpath(REPO_ROOT, cache_dir, log)


if __name__ == "__main__":
    main()
