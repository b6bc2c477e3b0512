"""The shared vocabulary of losi (see docs/architecture.md).

Every part imports these names; this module imports nothing of ours and does no I/O.
Values that cross a part boundary are frozen dataclasses so that a Proposal, once made,
cannot drift from what was stored.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Outcome(str, enum.Enum):
    """What a detector says about one indicator on one crawl.

    Only PRESENT and ABSENT are claims. A page the crawl could not see never yields ABSENT:
    the detector (or the runner, when a required artifact is missing) says NOT_ASSESSABLE.
    """

    PRESENT = "present"
    ABSENT = "absent"
    NEEDS_REVIEW = "needs_review"
    NOT_ASSESSABLE = "not_assessable"
    ERROR = "error"

    @property
    def is_claim(self) -> bool:
        return self in (Outcome.PRESENT, Outcome.ABSENT)


class FetchStatus(str, enum.Enum):
    """What happened to one fetched URL: a closed list, separate from outcomes."""

    OK = "ok"
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    TLS_ERROR = "tls_error"
    ROBOTS_DISALLOWED = "robots_disallowed"
    BLOCKED = "blocked"
    TOO_LARGE = "too_large"
    NOT_HTML = "not_html"
    CONNECTION_ERROR = "connection_error"
    PRIVATE_ADDRESS = "private_address"  # refused: resolves to a private/loopback/metadata address

    @property
    def permanent(self) -> bool:
        """Permanent failures are never retried: asking again gives the same answer."""
        return self in _PERMANENT

    @property
    def seen(self) -> bool:
        """True when the crawler received the page's content and archived it."""
        return self in (FetchStatus.OK, FetchStatus.NOT_HTML, FetchStatus.HTTP_ERROR)


_PERMANENT = frozenset(
    {
        FetchStatus.OK,
        FetchStatus.DNS_ERROR,
        FetchStatus.TLS_ERROR,
        FetchStatus.ROBOTS_DISALLOWED,
        FetchStatus.TOO_LARGE,
        FetchStatus.NOT_HTML,
        FetchStatus.PRIVATE_ADDRESS,
    }
)


class Round(str, enum.Enum):
    """Which assessment round a decision belongs to (double assessment, then reconciliation)."""

    A = "a"
    B = "b"
    RECONCILED = "reconciled"


@dataclass(frozen=True)
class Evidence:
    """One thing a person can check in seconds: where it was seen and what it said."""

    page_url: str
    explanation: str
    locator: str = ""  # CSS selector or XPath within the page
    text: str = ""  # the text or attribute value seen
    record_id: str = ""  # WARC-Record-ID of the archived response
    screenshot: str = ""  # record id of a screenshot crop, when there is one

    def to_dict(self) -> dict[str, str]:
        return {
            "page_url": self.page_url,
            "explanation": self.explanation,
            "locator": self.locator,
            "text": self.text,
            "record_id": self.record_id,
            "screenshot": self.screenshot,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(**{k: str(data.get(k, "")) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Finding:
    """What `Detector.detect(site)` returns."""

    outcome: Outcome
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""  # one line: why this outcome (always set unless PRESENT with evidence)
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside [0, 1]")
        if self.outcome is Outcome.PRESENT and not self.evidence:
            raise ValueError("a present finding needs at least one piece of evidence")


@dataclass(frozen=True)
class DetectorMeta:
    """Static facts about a detector (Lighthouse's audit meta)."""

    id: str  # kebab-case noun of what is found: "privacy-policy"
    title: str
    description: str  # why it exists: what the indicator asks, in the methodology's words
    requires: tuple[str, ...]  # artifacts: "home", "pages", "probe:tls", "probe:http-redirect", ...
    version: int  # bumped whenever logic or lexicon changes


@dataclass(frozen=True)
class Proposal:
    """A Finding bound to an indicator, a crawl and a methodology. Immutable once stored."""

    indicator_code: str
    outcome: Outcome
    confidence: float
    evidence: tuple[Evidence, ...]
    detector_id: str
    detector_version: int
    crawl_id: int
    methodology_id: str
    methodology_version: str
    reason: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """An assessor's value for (city, edition, indicator). Append-only: a change is a new one."""

    city_id: str
    methodology_id: str
    indicator_code: str
    value: int  # 1 or 0
    assessor: str
    round: Round
    reason: str = ""
    proposal_id: int | None = None
    decided_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.value not in (0, 1):
            raise ValueError(f"a decision is 0 or 1, not {self.value!r}")
