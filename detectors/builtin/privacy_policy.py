"""privacy-policy: a link to the portal's privacy policy (LOSI 2024 #234)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from detectors.lexicons import matcher
from detectors.site import Link, Site, normalise_text
from losi.types import DetectorMeta, Evidence, FetchStatus, Finding, Outcome

# Language-agnostic signal first: the words sites put in the path of that page.
_URL = re.compile(
    r"(privacy|privacidad|privacidade|confidentialit|vie-privee|donnees-personnelles|"
    r"datenschutz|riservatezza|protezione-dati|proteccion-de-datos|protecao-de-dados|"
    r"dados-pessoais|datos-personales|gdpr|rgpd|lgpd)",
    re.IGNORECASE,
)
# A label that names the page outright is stronger than one mentioning a related word.
TEXT_CONFIDENCE = 0.9
URL_CONFIDENCE = 0.7


class PrivacyPolicy:
    meta = DetectorMeta(
        id="privacy-policy",
        title="Privacy policy link",
        description=(
            "LOSI asks whether the portal offers 'a formal statement explaining how the portal "
            "collects, processes and protects personal data'; assessors look for it linked from "
            "the home page, usually in the footer."
        ),
        requires=("home",),
        version=1,
    )

    def detect(self, site: Site) -> Finding:
        words = matcher("privacy-policy")
        candidates: list[tuple[float, Evidence, Link]] = []
        for page in site.html_pages():
            for link in page.links:
                label = normalise_text(link.label)
                hit = words.search(label)
                if hit:
                    confidence, why = TEXT_CONFIDENCE, f"link labelled {link.label!r}"
                elif _URL.search(unquote(urlsplit(link.href).path)):
                    confidence, why = URL_CONFIDENCE, f"link to {link.href} (the path names it)"
                else:
                    continue
                evidence = Evidence(
                    page_url=page.url,
                    locator=link.locator,
                    text=link.label or link.href,
                    record_id=page.artifact.record_id,
                    explanation=f"{why} in the {link.position}, pointing to {link.href}",
                )
                candidates.append((confidence, evidence, link))
            if candidates and page.artifact is site.home:
                break  # the home page already has it: the rest adds nothing an assessor needs
        if not candidates:
            return Finding(
                Outcome.ABSENT,
                0.8,
                reason=(
                    f"no link named like a privacy policy on {sum(1 for _ in site.html_pages())} "
                    "page(s) seen, home page included"
                ),
            )
        candidates.sort(key=lambda c: -c[0])
        best_confidence, best_evidence, best_link = candidates[0]
        evidence = tuple(dict.fromkeys(e for _, e, _ in candidates))[:5]
        target = site.page(best_link.href)
        if target is not None and target.fetch_status is FetchStatus.HTTP_ERROR:
            return Finding(
                Outcome.NEEDS_REVIEW,
                0.5,
                evidence,
                reason=f"the privacy link points to a page that answered HTTP {target.http_status}",
            )
        return Finding(Outcome.PRESENT, best_confidence, evidence)
