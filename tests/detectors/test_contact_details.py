from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("contact-details")


@pytest.mark.parametrize("body", [
    "<nav><a href='/contact'>Contact us</a></nav>",
    "<nav><a href='/x'>Contáctenos</a></nav>",  # es
    "<nav><a href='/x'>Nous contacter</a></nav>",  # fr
    "<nav><a href='/x'>اتصل بنا</a></nav>",  # ar
    "<nav><a href='/x'>联系我们</a></nav>",  # zh
    "<nav><a href='/x'>Контакты</a></nav>",  # ru
    "<nav><a href='/x'>Fale conosco</a></nav>",  # pt
    "<nav><a href='/x'>Kontakt</a></nav>",  # de
    "<nav><a href='/x'>Contatti</a></nav>",  # it
    "<footer><a href='tel:+15596658615'>(559) 665-8615</a></footer>",
    "<footer><p>Phone: (559) 665-8615</p></footer>",
    "<footer><p>City Hall, 130 S 2nd Street, Chowchilla</p></footer>",
    "<div>Contact Information: Bryan Dunn, 216-443-8173</div>",
])
def test_a_way_to_contact_the_organisation_is_present(body: str) -> None:
    assert run_detector(detector, site(home(body))).outcome is Outcome.PRESENT


def test_an_email_link_alone_needs_review() -> None:
    s = site(home("<p>Questions about the portal? <a href='mailto:support@vendor.example'>Help</a></p>"))
    assert run_detector(detector, s).outcome is Outcome.NEEDS_REVIEW


def test_a_page_with_no_contact_feature_is_absent() -> None:
    s = site(home("<nav><a href='/news'>News</a></nav><p>The meeting starts at 10.</p>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


@pytest.mark.parametrize("footer", [
    # the copyright holder is a city government, not an address: the year is no street number
    "<p>© 2025 Prefeitura Municipal de Monte do Sul</p>",
    "<p>© 2025 Ayuntamiento de Villa Alta. Todos los derechos reservados</p>",
    "<p>Copyright © 2010 - 2021 City Hall of Springfield</p>",
    "<p>© Mairie de Beaulieu – tous droits réservés 2025</p>",
])
def test_a_copyright_line_naming_the_city_hall_is_no_address(footer: str) -> None:
    s = site(home(f"<nav><a href='/news'>News</a></nav><footer>{footer}</footer>"))
    assert run_detector(detector, s).outcome is Outcome.ABSENT


def test_an_address_next_to_the_copyright_line_still_counts() -> None:
    s = site(home("<nav><a href='/news'>News</a></nav><footer><p>Endereço: Rua Direita 12, "
                  "Monte do Sul</p><p>© 2025 Prefeitura Municipal de Monte do Sul</p></footer>"))
    assert run_detector(detector, s).outcome is Outcome.PRESENT
