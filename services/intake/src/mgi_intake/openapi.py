"""Write intake's OpenAPI document: `python -m mgi_intake.openapi [docs/openapi/intake.json]`.

Built from the code without starting anything: routes are on the app from its
creation, and the broker and database are only touched in the lifespan.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

from mgi_intake.main import create_app

DEFAULT_OUT = Path("docs/openapi/intake.json")


def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = create_app().openapi()
    return document


def write(out: Path = DEFAULT_OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n")
    return out


if __name__ == "__main__":
    os.environ.setdefault("OTEL_SDK_DISABLED", "true")  # writing a file needs no tracing
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
