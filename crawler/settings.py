"""Scrapy settings for losi's portal crawls: polite by default, honest about every fetch."""

from __future__ import annotations

import os

from losi import __version__

BOT_NAME = "losi"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

CONTACT_URL = os.environ.get("LOSI_CONTACT_URL", "https://pypi.org/project/losi/")
USER_AGENT = f"losi/{__version__} (LOSI portal assessment; +{CONTACT_URL})"

ROBOTSTXT_OBEY = True
# Every status is recorded (a 404 is evidence of a broken link, not an error of ours).
HTTPERROR_ALLOW_ALL = True

# Politeness per host, concurrency across hosts: many portals at once, few requests each.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Transient failures only are retried (Scrapy's default list: 5xx gateways, 408, 429, timeouts).
RETRY_ENABLED = True
RETRY_TIMES = 2

# Items of one response go through the (synchronous) archive pipeline; Scrapy's default of 100
# starts 100 asyncio tasks for every response, a tenth of the crawler's CPU on the bench.
CONCURRENT_ITEMS = 8

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 15 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 10

COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    # Before everything, robots.txt fetches included: no request reaches a private address.
    "crawler.middlewares.PrivateAddressMiddleware": 50,
    # After robots.txt (100): a refused page does not spend the budget.
    "crawler.middlewares.BudgetMiddleware": 110,
}
# Off unless asked (`losi crawl --allow-private`): the demo and tests crawl 127.0.0.1.
LOSI_ALLOW_PRIVATE = False

# The render engine for key pages: "playwright" (scrapy-playwright, crawler/render.py) or
# "selenium" (a Selenium Grid at LOSI_SELENIUM_URL, or a local chromedriver when it is empty;
# crawler/render_selenium.py). crawler.run sets them from the crawl's settings.
LOSI_RENDER_ENGINE = "playwright"
LOSI_SELENIUM_URL = ""
# Selenium sessions rendering at once (each a worker thread and a browser tab's worth of CPU):
# 2 suits one 2-core machine; a Grid with more nodes takes more (LOSI_SELENIUM_DRIVERS=8).
LOSI_SELENIUM_DRIVERS = int(os.environ.get("LOSI_SELENIUM_DRIVERS", "2"))

# Scrapy's default reactor; named so that a wrong one fails loudly (a wrong reactor silently
# yields nothing, see PLATFORM.md).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
