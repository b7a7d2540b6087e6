from mgi_intake.domain.key_usage import UsageThrottle


def test_a_use_is_written_once_a_minute_per_key() -> None:
    throttle = UsageThrottle(resolution=60)
    assert throttle.due("a", 0.0)
    assert not throttle.due("a", 30.0)
    assert throttle.due("b", 30.0)
    assert not throttle.due("a", 59.9)
    assert throttle.due("a", 60.0)
