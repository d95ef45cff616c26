from avatar_bridge.sessions.rate_limit import TokenBucket


def test_bucket_allows_a_burst_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == 0.5  # seconds until the next token
    now[0] = 0.5
    assert bucket.take() == 0.0
    now[0] = 100.0
    assert [bucket.take() for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst
