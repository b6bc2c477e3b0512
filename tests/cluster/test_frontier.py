"""The shared frontier's protocol, step by step, on a real Redis: what two workers see when one
of them dies between any two steps. (The crawls of test_distributed_crawl.py kill a worker at
one random moment; here each dangerous moment is chosen.)"""

from __future__ import annotations

from typing import Any

import pytest

from crawler.distributed import Cluster


@pytest.fixture
def pair(redis_url: str, prefix: str) -> tuple[Cluster, Cluster]:
    """Two workers of one cluster, and one registered crawl (id 7)."""
    import redis

    a = Cluster(redis.Redis.from_url(redis_url), prefix, worker="host-a:1:x")
    b = Cluster(redis.Redis.from_url(redis_url), prefix, worker="host-b:2:y")
    a.register([{"crawl_id": 7, "seed_url": "http://a.example/"}])
    return a, b


def _state(c: Cluster, field: str) -> Any:
    value = c.r.hget(c.keys.crawl(7, "state"), field)
    return value.decode() if value is not None else None


def _die(c: Cluster) -> None:
    """As a SIGKILL leaves a worker: registered, its in-flight hash kept, its beat gone."""
    c.r.delete(c.keys.beat(c.worker))


def test_a_url_is_claimed_counted_and_queued_in_one_step(pair: tuple[Cluster, Cluster]) -> None:
    a, b = pair
    assert a.push("a.example t1", 10, b"r1", 7, ("seen", "http://a.example/x"))
    # The other worker found the same link: not queued, not counted.
    assert not b.push("a.example t2", 10, b"r2", 7, ("seen", "http://a.example/x"))
    assert (a.queued(), _state(a, "outstanding")) == (1, "1")
    assert a.r.sismember(a.keys.crawl(7, "seen"), "http://a.example/x")


def test_a_worker_that_dies_before_queueing_a_link_has_claimed_nothing(pair: tuple[Cluster, Cluster]) -> None:
    a, b = pair
    a.beat()
    a.push("a.example parent", 10, b"parent", 7, ("seen", "http://a.example/"))
    assert a.pop() == ("a.example parent", b"parent")
    # a decides to follow /child (a check only) and dies before queueing it.
    assert "http://a.example/child" not in {m.decode() for m in a.r.smembers(a.keys.crawl(7, "seen"))}
    _die(a)
    b.beat()
    assert b.reap() == 1  # the parent goes back to the frontier
    assert b.pop() == ("a.example parent", b"parent")
    assert b.push("a.example child", 5, b"child", 7, ("seen", "http://a.example/child"))
    assert b.ack("a.example parent", 7) == 0
    assert b.pop() == ("a.example child", b"child")
    assert b.ack("a.example child", 7) == 1  # the crawl is done, nothing lost
    assert _state(b, "outstanding") == "0"


def test_a_redirect_continues_its_request_without_counting_again(pair: tuple[Cluster, Cluster]) -> None:
    a, _ = pair
    a.push("a.example t", 10, b"first", 7, ("seen", "http://a.example/old"))
    a.pop()
    # The redirect keeps the token and the claim of the request it continues.
    assert a.push("a.example t", 10, b"second", 7, ("seen", "http://a.example/old"), new=False)
    assert (a.queued(), _state(a, "outstanding")) == (1, "1")
    assert a.r.hlen(a.keys.inflight(a.worker)) == 0
    assert a.pop() == ("a.example t", b"second")
    assert a.ack("a.example t", 7) == 1


def test_a_start_left_half_done_by_a_dead_worker_is_started_again(pair: tuple[Cluster, Cluster]) -> None:
    a, b = pair
    assert a.claim_start(7)
    assert not b.claim_start(7)  # one worker starts a crawl
    a.push("a.example robots", 900, b"robots", 7, ("claims", "robots"))
    a.beat()
    _die(a)
    # b answers robots.txt: the crawl must not end, its seed is not queued yet.
    assert b.pop() == ("a.example robots", b"robots")
    assert b.ack("a.example robots", 7) == 0
    b.beat()
    b.reap()
    assert _state(b, "start_claimed") == ""  # released, its unit of work kept
    assert b.claim_start(7)
    assert _state(b, "outstanding") == "1"
    # b starts it again: robots.txt is claimed already, the seed is new.
    assert not b.push("a.example robots2", 900, b"robots", 7, ("claims", "robots"))
    assert b.push("a.example seed", 1000, b"seed", 7, ("seen", "http://a.example/"))
    assert b.start_done(7) == 0
    assert a.start_done(7) == -1  # the dead worker, had it lived on, counts for nothing
    assert b.pop() == ("a.example seed", b"seed")
    assert b.ack("a.example seed", 7) == 1
    assert b.done_ids() == {7}


def test_a_start_whose_requests_are_answered_first_ends_the_crawl_when_done(pair: tuple[Cluster, Cluster]) -> None:
    a, _ = pair
    assert a.claim_start(7)
    a.push("a.example seed", 1000, b"seed", 7, ("seen", "http://a.example/"))
    a.pop()
    assert a.ack("a.example seed", 7) == 0  # answered while the start still runs
    assert a.start_done(7) == 1
    assert a.start_done(7) == -1  # once
