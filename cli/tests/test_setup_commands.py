"""Setup commands (Maven, Go, Kafka's storage tool) fail with what went wrong, never silently."""

import sys

import pytest

from mgi_cli.infra.setup_commands import run_setup

pytestmark = pytest.mark.integration  # runs real child processes


def test_a_failing_command_raises_with_its_exit_code_and_the_tail_of_its_output() -> None:
    script = "import sys\nfor i in range(100): print(f'line {i}')\nsys.exit(3)"
    with pytest.raises(RuntimeError) as raised:
        run_setup([sys.executable, "-c", script], "building the thing", 30, hint="; needs Go")
    message = str(raised.value)
    assert message.startswith("building the thing failed (exit code 3; needs Go):")
    assert "line 99" in message and "line 69" not in message  # the last 30 lines only


def test_a_command_past_its_time_is_stopped_and_named() -> None:
    with pytest.raises(RuntimeError, match="resolving Kafka took longer than 1 s"):
        run_setup([sys.executable, "-c", "import time; time.sleep(30)"], "resolving Kafka", 1)


def test_a_successful_command_returns_quietly() -> None:
    run_setup([sys.executable, "-c", "print('ok')"], "formatting", 30)
