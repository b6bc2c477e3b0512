"""Which URLs belong to the portal: its registrable domain and subdomains."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# The bundled public suffix list, offline: no download attempt at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _is_ip_or_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    """'www.city.gov.br/x' -> 'city.gov.br'; an IP or localhost keeps its port (one site per port)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _is_ip_or_local(host):
        return f"{host}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    extracted = _extract(host)
    return extracted.top_domain_under_public_suffix or host


def in_scope(url: str, seed_url: str) -> bool:
    if urlsplit(url).scheme not in ("http", "https"):
        return False
    return site_key(url) == site_key(seed_url)
