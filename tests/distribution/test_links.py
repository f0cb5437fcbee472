"""Group links and QR codes in every language of a survey: captioned cards, a 4-module quiet
zone, printable A4 sheets."""

from __future__ import annotations

import re

import segno

from consult.accounts.roles import Role
from consult.distribution import qrcards
from tests import factories


def dark_cells(path: str) -> set[tuple[int, int]]:
    """The modules an SVG path from qrcards.modules paints."""
    cells = set()
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
        cells |= {(int(x) + i, int(y)) for i in range(int(run))}
    return cells


def test_the_code_is_segnos_matrix_with_four_modules_of_quiet_zone():
    link = "https://consult.example.org/s/nisp-consultation?group=media&lang=ur"
    path, size = qrcards.modules(link)
    rows = list(segno.make(link, error="m").matrix_iter(scale=1, border=0))
    assert size == len(rows) + 2 * 4
    expected = {(x + 4, y + 4) for y, row in enumerate(rows) for x, dark in enumerate(row) if dark}
    assert dark_cells(path) == expected  # nothing painted in the quiet zone, nothing missing


def test_the_links_page_has_each_groups_link_and_code_in_each_language(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.viewer, survey=survey))
    page = client.get("/admin/surveys/small/links").get_data(as_text=True)
    for lang in ("en", "ur"):
        assert f"/s/small?lang={lang}</code>" in page  # the public link
        for group in ("media", "academia"):
            assert f"/s/small?group={group}&amp;lang={lang}</code>" in page
            assert f"/qr/{group}.svg?lang={lang}" in page
        assert f"/links/sheet.svg?lang={lang}&amp;sheet=1" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 6  # 3 links × 2 languages
    assert "تعلیمی و تحقیقی حلقے" in page and "اردو" in page


def test_a_card_is_captioned_in_its_own_language(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    response = client.get("/admin/surveys/small/qr/academia.svg?lang=ur")
    svg = response.get_data(as_text=True)
    response.close()
    assert response.mimetype == "image/svg+xml"
    assert "style-src 'unsafe-inline'" in response.headers["Content-Security-Policy"]
    assert ">تعلیمی و تحقیقی حلقے</text>" in svg and ">اردو</text>" in svg
    assert 'direction="rtl" xml:lang="ur"' in svg
    assert "/s/small?group=academia&amp;lang=ur</text>" in svg  # the short address, no https://
    assert "://localhost" not in svg.split("<path", 1)[0].split("</style>")[-1]
    assert "font/woff2;base64," in svg  # a printed card carries its Nastaliq
    english = client.get("/admin/surveys/small/qr/all.svg?lang=en")
    assert ">Everyone (public link)</text>" in english.get_data(as_text=True)
    assert "font/woff2" not in english.get_data(as_text=True)  # nothing to embed for English
    english.close()
    png = client.get("/admin/surveys/small/qr/media.png?lang=ur")
    assert png.data.startswith(b"\x89PNG")
    png.close()
    assert client.get("/admin/surveys/small/qr/nonsense.svg?lang=ur").status_code == 404


def test_the_a4_sheet_holds_every_card_of_a_language(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    response = client.get("/admin/surveys/small/links/sheet.svg?lang=ur&sheet=1")
    svg = response.get_data(as_text=True)
    response.close()
    assert 'width="210mm" height="297mm"' in svg
    assert svg.count('stroke-dasharray="2 2"') == 3  # public link, media, academia: cut lines
    assert ">میڈیا</text>" in svg and ">سب کے لیے (عوامی لنک)</text>" in svg
    assert client.get("/admin/surveys/small/links/sheet.svg?lang=ur&sheet=2").status_code == 404
    assert client.get("/admin/surveys/small/links/sheet.svg?lang=ur&sheet=x").status_code == 404
