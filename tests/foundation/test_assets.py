"""Static files and compression: versioned URLs cached for a year, text compressed, one font."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

from consult.assets import file_version
from tests import factories
from tests.conftest import form_tokens

STATIC = Path(__file__).parents[2] / "static"
FONT = "fonts/noto-nastaliq-urdu.woff2"


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_pages_link_static_files_by_content_hash(client, session):
    factories.small(session)
    urls = static_urls(client.get("/s/small").get_data(as_text=True))
    assert {u.split("?")[0] for u in urls} == {"/static/css/consult.css", "/static/js/consult.js"}
    for url in urls:
        path, version = url.removeprefix("/static/").split("?v=")
        assert version == file_version(STATIC / path)


def test_versioned_static_files_are_cached_for_a_year(client):
    version = file_version(STATIC / "css/consult.css")
    response = client.get(f"/static/css/consult.css?v={version}")
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable
    # Nothing asks the browser to check it again: no round trip on the next page.
    assert not cache.no_cache and "no-cache" not in response.headers["Cache-Control"]
    response.close()


@pytest.mark.parametrize("query", ["", "?v=stale"])
def test_unversioned_static_files_are_revalidated(client, query):
    response = client.get(f"/static/css/consult.css{query}")
    assert response.cache_control.no_cache and not response.cache_control.max_age
    etag = response.headers["ETag"]
    response.close()
    again = client.get(f"/static/css/consult.css{query}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    again.close()  # the test client leaves closing to us (a server closes every response)


@pytest.mark.parametrize(("accept", "coding"), [("gzip, deflate", "gzip"), ("gzip, br", "br")])
def test_text_is_compressed_as_the_browser_accepts(client, session, accept, coding):
    factories.nisp(session)
    plain = client.get("/s/nisp-consultation?lang=ur").get_data()
    packed = client.get("/s/nisp-consultation?lang=ur", headers={"Accept-Encoding": accept})
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    unpacked = gzip.decompress(body) if coding == "gzip" else brotli.decompress(body)
    # Same page but for the one-time tokens; a fraction of the size.
    assert len(unpacked) == len(plain) and len(body) < len(plain) / 4
    css = client.get("/static/css/consult.css", headers={"Accept-Encoding": accept})
    assert css.headers["Content-Encoding"] == coding
    assert int(css.headers["Content-Length"]) == len(css.get_data())
    assert css.get_etag()[1]  # compressed, its validator is weak: revalidation still gives 304
    again = client.get(
        "/static/css/consult.css",
        headers={"Accept-Encoding": accept, "If-None-Match": css.headers["ETag"]},
    )
    assert again.status_code == 304
    again.close()


def test_a_form_sent_back_with_errors_is_compressed_too(client, session):
    factories.nisp(session)
    url = "/s/nisp-consultation?lang=ur"
    response = client.post(url, data=form_tokens(client, url), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 400
    assert response.headers["Content-Encoding"] == "gzip"


def test_without_accept_encoding_nothing_is_compressed(client, session):
    factories.small(session)
    response = client.get("/s/small")
    assert "Content-Encoding" not in response.headers
    font = client.get(f"/static/{FONT}", headers={"Accept-Encoding": "gzip"})
    assert font.mimetype == "font/woff2"
    assert "Content-Encoding" not in font.headers  # woff2 is compressed already
    font.close()


def test_the_stylesheet_names_the_font_by_its_current_hash():
    css = (STATIC / "css/consult.css").read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{(.*?)}", css, re.S)
    assert face, "no @font-face"
    assert f'url("../{FONT}?v={file_version(STATIC / FONT)}")' in face.group(1), (
        "static/fonts changed: put its new version (make fonts prints it) into consult.css"
    )
    assert "font-display: swap" in face.group(1)
    assert (STATIC / "fonts/OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE")
