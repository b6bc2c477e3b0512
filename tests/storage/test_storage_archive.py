from __future__ import annotations

import hashlib
from pathlib import Path

from storage.archive import WarcArchive, iter_records, read_response


def test_a_response_reads_back_at_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    body = "<html><body>Política de privacidad</body></html>".encode()
    with WarcArchive(path) as archive:
        archive.write_warcinfo({"software": "losi/test"})
        first = archive.write_response("http://a.example/", 200, "OK",
                                       [("Content-Type", "text/html; charset=utf-8")], body)
        second = archive.write_response("http://a.example/missing", 404, "Not Found", [], b"nope")
    stored = read_response(path, second.offset)
    assert (stored.url, stored.status, stored.body) == ("http://a.example/missing", 404, b"nope")
    stored = read_response(path, first.offset)
    assert stored.body == body
    assert stored.header("content-type") == "text/html; charset=utf-8"
    assert first.sha256 == hashlib.sha256(body).hexdigest()


def test_every_record_is_standard_warc(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with WarcArchive(path) as archive:
        archive.write_warcinfo({"software": "losi/test"})
        ref = archive.write_response("http://a.example/", 200, "OK", [], b"x")
    records = list(iter_records(path))
    assert [r[0] for r in records] == ["warcinfo", "response"]
    assert records[1][2] == ref.record_id


def test_an_archive_is_appended_to_never_truncated(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with WarcArchive(path) as archive:
        first = archive.write_response("http://a.example/1", 200, "OK", [], b"one")
    with WarcArchive(path) as archive:
        archive.write_response("http://a.example/2", 200, "OK", [], b"two")
    assert read_response(path, first.offset).body == b"one"
    assert len(list(iter_records(path))) == 2
