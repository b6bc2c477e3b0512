from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError

from crawler.middlewares import BudgetError, PrivateAddressError, forbidden_address
from crawler.status import classify
from losi.types import FetchStatus


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (DNSLookupError("no such host"), FetchStatus.DNS_ERROR),
        (TCPTimedOutError(), FetchStatus.TIMEOUT),
        (ConnectionRefusedError(), FetchStatus.CONNECTION_ERROR),
        (IgnoreRequest("Forbidden by robots.txt"), FetchStatus.ROBOTS_DISALLOWED),
        (PrivateAddressError("refused: x resolves to 10.0.0.1"), FetchStatus.PRIVATE_ADDRESS),
    ],
)
def test_failures_map_to_one_fetch_status(exc: Exception, status: FetchStatus) -> None:
    assert classify(exc) is status


def test_a_spent_budget_is_not_recorded_as_a_page_failure() -> None:
    import scrapy
    from twisted.python.failure import Failure

    from crawler.items import PageItem
    from crawler.spiders.portal import PortalSpider

    spider = PortalSpider(crawls=[{"crawl_id": 1, "seed_url": "http://a.example/"}])
    request = scrapy.Request("http://a.example/x", meta={"losi_crawl": 1, "losi_kind": "page"})
    spent, refused = Failure(BudgetError("page budget spent")), Failure(IgnoreRequest("Forbidden by robots.txt"))
    spent.request = refused.request = request  # type: ignore[attr-defined]
    assert not [i for i in spider.failed(spent) if isinstance(i, PageItem)]
    assert [i.fetch_status for i in spider.failed(refused) if isinstance(i, PageItem)] == ["robots_disallowed"]


@pytest.mark.parametrize(
    "ip", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254", "::1",
           "fd00:ec2::254", "0.0.0.0", "::ffff:127.0.0.1", "224.0.0.1"],
)
def test_private_loopback_link_local_and_metadata_addresses_are_forbidden(ip: str) -> None:
    assert forbidden_address(ip)


@pytest.mark.parametrize("ip", ["8.8.8.8", "151.101.1.69", "2a04:4e42::645"])
def test_public_addresses_are_allowed(ip: str) -> None:
    assert not forbidden_address(ip)


def test_permanent_failures_are_marked() -> None:
    assert FetchStatus.ROBOTS_DISALLOWED.permanent and not FetchStatus.TIMEOUT.permanent
