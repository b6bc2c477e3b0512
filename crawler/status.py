"""Turn what went wrong with a request into one closed FetchStatus."""

from __future__ import annotations

from losi.types import FetchStatus

# Matched by class name so that the same table covers Twisted's errors and Scrapy's own
# (DownloadTimeoutError, CannotResolveHostError ...), whichever download handler is in use.
_BY_NAME = {
    "DNSLookupError": FetchStatus.DNS_ERROR,
    "CannotResolveHostError": FetchStatus.DNS_ERROR,
    "TimeoutError": FetchStatus.TIMEOUT,
    "TCPTimedOutError": FetchStatus.TIMEOUT,
    "DownloadTimeoutError": FetchStatus.TIMEOUT,
    "UserTimeoutError": FetchStatus.TIMEOUT,
    "SSLError": FetchStatus.TLS_ERROR,
    "Error": FetchStatus.CONNECTION_ERROR,
    "ConnectionRefusedError": FetchStatus.CONNECTION_ERROR,
    "DownloadConnectionRefusedError": FetchStatus.CONNECTION_ERROR,
    "ConnectionLost": FetchStatus.CONNECTION_ERROR,
    "ConnectionDone": FetchStatus.CONNECTION_ERROR,
    "ResponseDataLossError": FetchStatus.CONNECTION_ERROR,
    "DownloadFailedError": FetchStatus.CONNECTION_ERROR,
}


def classify(exc: BaseException) -> FetchStatus:
    """The fetch status of a failed request, from its exception (and any it wraps)."""
    name = type(exc).__name__
    text = str(exc)
    module = type(exc).__module__
    if name == "PrivateAddressError":
        return FetchStatus.PRIVATE_ADDRESS
    if name == "IgnoreRequest" and "robots" in text.lower():
        return FetchStatus.ROBOTS_DISALLOWED
    if "maxsize" in text.lower() or "larger than download max size" in text.lower() or (
        name in ("DownloadCancelledError", "CancelledError") and "size" in text.lower()
    ):
        return FetchStatus.TOO_LARGE
    if name == "DownloadCancelledError" and not text:
        # Scrapy's HTTP/1.1 handler cancels a streamed body that outgrows DOWNLOAD_MAXSIZE
        # without a message (it logs the size instead); a declared size too big says so above.
        return FetchStatus.TOO_LARGE
    if "OpenSSL" in module or "SSL" in name or "ssl" in text.lower() and "handshake" in text.lower():
        return FetchStatus.TLS_ERROR
    # ResponseNeverReceived / ResponseFailed wrap the real reasons in `.reasons`.
    for inner in getattr(exc, "reasons", []) or []:
        value = getattr(inner, "value", inner)
        if isinstance(value, BaseException):
            status = classify(value)
            if status is not FetchStatus.CONNECTION_ERROR:
                return status
    return _BY_NAME.get(name, FetchStatus.CONNECTION_ERROR)


def describe(exc: BaseException) -> str:
    """One line for the page's error column."""
    text = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__
