from __future__ import annotations

import pytest

from detectors.pattern import pattern_detector
from detectors.runner import run_detector
from losi.types import Outcome
from tests.detectors.sites import home, site

detector = pattern_detector("job-vacancies")


@pytest.mark.parametrize("body", [
    "<a href='/x'>Jobs</a>", "<a href='/x'>Employment Opportunities</a>",
    "<a href='https://www.governmentjobs.com/careers/wichita'>Work here</a>",
    "<a href='/x'>Bolsa de empleo</a>", "<a href='/x'>Offres d'emploi</a>",
    "<a href='/x'>الوظائف الشاغرة</a>", "<a href='/x'>人才招聘</a>",
    "<a href='/x'>Вакансии</a>", "<a href='/x'>Concursos públicos</a>",
    "<a href='/x'>Stellenangebote</a>", "<a href='/x'>Bandi di concorso</a>",
])
def test_a_jobs_page_is_present(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.PRESENT


@pytest.mark.parametrize("body", [
    "<a href='/workforce/job-training'>Job training for residents</a>",
    "<a href='/x'>Vita lavorativa</a>",  # a life-event category, not vacancies
    # Arabic استخدام is 'use' (guides to using the e-services); Persian hiring is آگهی استخدام
    "<a href='/guides/'>أدلة استخدام الخدمات الإلكترونية</a>",
])
def test_job_training_is_not_vacancies(body: str) -> None:
    assert run_detector(detector, site(home(f"<nav>{body}</nav>"))).outcome is Outcome.ABSENT
