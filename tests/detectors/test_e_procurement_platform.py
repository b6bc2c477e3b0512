"""e-procurement-platform: E-procurement platform (LOSI #265), a service: a candidate link or page counts once its
page names the service and offers a transaction, on the portal or one hop away."""

from __future__ import annotations

from detectors.pattern import pattern_detector
from detectors.site import Site
from losi.types import Outcome
from tests.detectors.service_contract import ServiceContract
from tests.detectors.sites import SEED, home, page, site

CASES = [
    [
        "Vendor Registration",
        "Supplier portal: vendor registration",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Licitación electrónica",
        "Plataforma de licitación electrónica",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ],
    [
        "Vergabeplattform",
        "Vergabeplattform der Stadt",
        "<form action='/login' method='post'><label>User<input name='user'></label><label>Password<input type='password' name='pw'></label><button>Sign in</button></form>"
    ]
]


class TestEProcurementPlatform(ServiceContract):
    detector_name = "e-procurement-platform"
    cases = CASES


def _platform_site(tenders_depth_rank: int) -> Site:
    """A home page, `tenders_depth_rank` pages of other sections, then the tenders page, which
    links to the country's platform (Portugal's acinGov here)."""
    menu = "".join(f"<a href='/a{i:02d}/'>Section {i}</a>" for i in range(tenders_depth_rank))
    pages = [home(f"<nav>{menu}<a href='/contratacao-publica/'>Contratação pública</a></nav>")]
    pages += [page(f"{SEED}a{i:02d}/", f"<html><body><h1>Section {i}</h1></body></html>", depth=1)
              for i in range(tenders_depth_rank)]
    pages.append(page(f"{SEED}contratacao-publica/",
                      "<html><body><h1>Contratação pública</h1><a href='https://www.acingov.pt/"
                      "acingovprod/2/index.php/entidade/city'>Procedimentos na plataforma "
                      "eletrónica acinGov</a></body></html>", depth=1))
    return site(*pages)


def test_a_link_to_a_known_platform_on_the_tenders_page_is_present() -> None:
    finding = pattern_detector("e-procurement-platform").detect(_platform_site(3))
    assert finding.outcome is Outcome.PRESENT
    assert any("acingov.pt" in (e.text + e.locator + e.explanation) or "acingov" in str(e)
               for e in finding.evidence)


def test_the_tenders_page_is_read_past_the_page_budget() -> None:
    # 40 sections come first in the crawl's order (depth, then address: /a00/ ... /a39/)
    finding = pattern_detector("e-procurement-platform").detect(_platform_site(40))
    assert finding.outcome is Outcome.PRESENT
