"""While a latency run times, the bench's own cycle collector is off; afterwards as before."""

import gc

import pytest

from mgi_cli.bench.timing import collector_off

pytestmark = pytest.mark.unit


def test_the_collector_is_off_while_timing_and_on_again_after() -> None:
    assert gc.isenabled()
    with collector_off():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_run_that_failed() -> None:
    with pytest.raises(RuntimeError), collector_off():
        raise RuntimeError("the run failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
