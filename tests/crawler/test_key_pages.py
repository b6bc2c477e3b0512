"""Which key pages are rendered besides the home: the home's most promising links, whether the
plain fetch of the home queues them or the home's render (parsed first) already did."""

from __future__ import annotations

from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler.spiders.portal import PortalSpider

SEED = "http://city.example/"
HOME = (
    "<html><body><nav><a href='/services/apply-online'>Apply online</a>"
    "<a href='/contact'>Contact us</a></nav>"
    "<main><a href='/archive/2011/minutes-7'>Minutes 7</a><a href='/archive/2011/minutes-8'>Minutes 8</a>"
    "<a href='/tag/misc?page=3'>misc</a></main></body></html>"
)


def _spider(render_pages: int) -> PortalSpider:
    spider = PortalSpider(crawls=[{"crawl_id": 1, "seed_url": SEED, "render_pages": render_pages,
                                   "max_depth": 3}])
    spider.settings = Settings({"LOSI_RENDER_ENGINE": "playwright"})  # as from_crawler sets it
    return spider


def _home() -> HtmlResponse:
    request = scrapy.Request(SEED, meta={"losi_crawl": 1, "losi_depth": 0, "losi_kind": "page"})
    return HtmlResponse(SEED, body=HOME.encode(), encoding="utf-8", request=request,
                        headers={"Content-Type": "text/html; charset=utf-8"})


def _out(spider: PortalSpider) -> tuple[list[str], list[str]]:
    out: list[Any] = list(spider.parse(_home()))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    renders = [r.meta.get("losi_render_url", r.url) for r in requests if r.meta.get("losi_kind") == "render"]
    pages = [r.url for r in requests if r.meta.get("losi_kind") == "page"]
    return pages, renders


@pytest.mark.parametrize("render_first", [False, True], ids=["plain fetch first", "render parsed first"])
def test_the_most_promising_links_of_the_home_are_rendered(render_first: bool) -> None:
    spider = _spider(render_pages=3)
    portal = spider.portals[1]
    portal.renders_scheduled = 1  # the home's own render
    if render_first:  # the home's render listed (and queued) every link already
        for path in ("services/apply-online", "contact", "archive/2011/minutes-7",
                     "archive/2011/minutes-8", "tag/misc?page=3"):
            portal.claim(SEED + path)
    pages, renders = _out(spider)
    assert sorted(renders) == [SEED + "contact", SEED + "services/apply-online"]
    assert (pages == []) is render_first  # queued once, by whichever came first


def test_no_key_page_is_rendered_when_only_the_home_is() -> None:
    spider = _spider(render_pages=1)
    spider.portals[1].renders_scheduled = 1
    assert _out(spider)[1] == []
