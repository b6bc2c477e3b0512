from __future__ import annotations

from detectors.site import decode_html

CHINESE = "<html><head><title>北城市人民政府</title></head><body>" + "政务公开，办事服务，新闻中心。" * 40 + "</body></html>"
FRENCH = "<html><head><title>Démarches</title></head><body>" + "Mairie de Saint-Clair, état civil, écoles. " * 40 + "</body></html>"


def test_a_gb18030_page_declared_latin_1_is_read_as_chinese() -> None:
    encoding, text = decode_html("text/html; charset=iso-8859-1", CHINESE.encode("gb18030"))
    assert "北城市人民政府" in text and encoding.lower() in ("gb18030", "gb2312", "gbk")


def test_a_utf8_page_declared_windows_1252_is_read_as_utf8() -> None:
    encoding, text = decode_html("text/html; charset=windows-1252", FRENCH.encode("utf-8"))
    assert (encoding, "Démarches" in text) == ("utf-8", True)


def test_a_real_windows_1252_page_stays_windows_1252() -> None:
    encoding, text = decode_html("text/html; charset=windows-1252", FRENCH.encode("cp1252"))
    assert encoding == "cp1252" and "état civil" in text


def test_an_arabic_windows_1256_page_declared_in_meta_decodes() -> None:
    page = '<html><head><meta charset="windows-1256"><title>أمانة المدينة</title></head></html>'
    _, text = decode_html("text/html", page.encode("cp1256"))
    assert "أمانة المدينة" in text
