"""Language: chosen by ?lang=, then a cookie, then the browser; direction from the code alone;
untranslated survey text falls back, marked; answers cannot reorder the page around them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from consult.accounts.roles import Role
from consult.surveys.models import SurveyState
from tests import factories
from tests.conftest import form_tokens

BIDI_CONTROLS = "\u202e\u2066\u2067\u2068\u2069\u202d\u202b"


def html_lang(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert found, "no <html lang dir>"
    return found.group(1), found.group(2)


def test_lang_in_the_address_is_remembered_in_a_cookie(client, session):
    factories.small(session)
    first = client.get("/s/small?lang=ur")
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("lang=ur;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The next page, without ?lang=, is still in Urdu: the choice follows the respondent.
    assert html_lang(client.get("/s/small").get_data(as_text=True)) == ("ur", "rtl")
    assert html_lang(client.get("/").get_data(as_text=True)) == ("ur", "rtl")


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("?lang=en", "ur", "ur", "en"),  # the address wins
        ("", "en", "ur-PK,ur;q=0.9", "en"),  # then the cookie
        ("", None, "ur-PK,ur;q=0.9", "ur"),  # then the browser
        ("", None, "fr-FR,fr;q=0.9", "en"),  # then the default
        ("?lang=xx", None, "ur", "ur"),  # an unknown ?lang= is ignored, not an error
        ("?lang=xx", "xx", "de", "en"),  # so is an unknown cookie
    ],
)
def test_language_order_is_address_cookie_browser_default(
    client, session, query, cookie, accept, expected
):
    factories.small(session)
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get(f"/s/small{query}", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert html_lang(response.get_data(as_text=True))[0] == expected
    assert "Cookie" in response.headers["Vary"] and "Accept-Language" in response.headers["Vary"]


def test_unknown_lang_sets_no_cookie_and_is_not_echoed(client, session):
    factories.small(session)
    response = client.get('/s/small?lang="><script>x</script>')
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
    assert "<script>x" not in response.get_data(as_text=True)


def test_a_survey_without_the_language_speaks_its_own_throughout(client, session):
    factories.small(session, slug="english-only", languages=["en"])
    page = client.get("/s/english-only?lang=ur").get_data(as_text=True)
    # Interface and questions in one language: not Urdu buttons around English questions.
    assert html_lang(page) == ("en", "ltr")
    assert ">Submit<" in page and "جمع کرائیں" not in page
    assert 'class="langs"' not in page  # one language: nothing to switch to


def test_direction_comes_from_the_language_never_from_the_text(client, session):
    # The small survey's Urdu lacks most labels: the page is English text in an Urdu page, and
    # still right to left, because the language is Urdu.
    factories.small(session)
    page = client.get("/s/small?lang=ur").get_data(as_text=True)
    assert html_lang(page) == ("ur", "rtl")


SWITCHER = re.compile(r'<nav class="langs" aria-label="([^"]+)">(.*?)</nav>', re.S)


def switcher_links(page: str, url: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """Each offered language -> (path, query) its link leads to, resolved against ``url``.

    On a page of answers each language is a button posting the answers to that address.
    """
    found = SWITCHER.search(page)
    assert found, "no language switcher"
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)"', found.group(2))
    links += re.findall(r'<input type="submit"[^>]* formaction="([^"]+)"[^>]* lang="([^"]+)"',
                        found.group(2))  # fmt: skip
    targets = {}
    for href, lang in links:
        parts = urlsplit(urljoin("http://localhost" + url, href.replace("&amp;", "&")))
        targets[lang] = (parts.path, parse_qs(parts.query))
    return targets


def test_every_respondent_page_has_a_language_switcher(client, session):
    factories.small(session)
    factories.small(session, slug="shut", state=SurveyState.closed)
    url = "/s/small?lang=ur&group=media"
    form = client.get(url).get_data(as_text=True)
    # The group of a group link survives the switch.
    assert switcher_links(form, url) == {"en": ("/s/small", {"lang": ["en"], "group": ["media"]})}
    assert SWITCHER.search(form).group(1) == "زبان"  # type: ignore[union-attr]
    url = "/s/small?lang=ur"
    errors = client.post(url, data=form_tokens(client, url))
    assert errors.status_code == 400
    assert switcher_links(errors.get_data(as_text=True), url) == {
        "en": ("/s/small", {"lang": ["en"]})
    }
    url = "/s/small/thanks?lang=en"
    thanks = client.get(url).get_data(as_text=True)
    assert switcher_links(thanks, url) == {"ur": ("/s/small/thanks", {"lang": ["ur"]})}
    closed = client.get("/s/shut?lang=en")
    assert closed.status_code == 410
    assert switcher_links(closed.get_data(as_text=True), "/s/shut?lang=en") == {
        "ur": ("/s/shut", {"lang": ["ur"]})
    }
    missing = client.get("/s/no-such-survey?lang=ur")
    assert missing.status_code == 404
    assert switcher_links(missing.get_data(as_text=True), "/s/no-such-survey")["en"][1] == {
        "lang": ["en"]
    }


def test_untranslated_survey_text_falls_back_marked_with_its_language(client, session):
    factories.small(session)
    page = client.get("/s/small?lang=ur").get_data(as_text=True)
    # Translated text is plain; missing Urdu shows the English, tagged so a screen reader
    # reads it with an English voice and bidi keeps it left to right.
    assert "مختصر سوالنامہ" in page
    assert '<bdi class="fallback" lang="en" dir="ltr">Colour</bdi>' in page
    assert '<bdi class="fallback" lang="en" dir="ltr">Red</bdi>' in page
    # Respondents see no organizer's marks.
    assert "fallback-mark" not in page and "untranslated-note" not in page


def test_organizers_see_what_is_not_translated(client, session):
    survey = factories.small(session)
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    page = client.get("/s/small?lang=ur").get_data(as_text=True)
    assert page.count('class="fallback-mark"') == page.count('class="fallback"') > 5
    assert "اردو میں ترجمہ نہیں ہوا" in page
    note = re.search(r'<p class="note untranslated-note">(.*?)</p>', page, re.S)
    assert note and "انگریزی" not in note.group(1) and "English" in note.group(1)
    english = client.get("/s/small?lang=en").get_data(as_text=True)
    assert "fallback" not in english  # everything exists in the default language


class Holders(HTMLParser):
    """For each text or attribute value containing ``needle``: the open elements around it."""

    VOID = {"input", "br", "meta", "link", "img", "hr"}

    def __init__(self, needle: str) -> None:
        super().__init__()
        self.needle = needle
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[list[tuple[str, dict[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, dict(attrs))
        if any(value and self.needle in value for _, value in attrs):
            self.found.append([*self.stack, element])
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.needle in data:
            self.found.append(list(self.stack))


def isolated(chain: list[tuple[str, dict[str, str | None]]]) -> bool:
    """Inside a form control or an element that isolates its text (bdi, or dir=auto)."""
    return any(
        tag in ("textarea", "input", "bdi") or attrs.get("dir") == "auto" for tag, attrs in chain
    )


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_bidi_controls_in_answers_are_shown_isolated(client, session, lang):
    factories.small(session)
    hostile = BIDI_CONTROLS + "abc" + BIDI_CONTROLS
    url = f"/s/small?lang={lang}"
    # Required questions left empty: the answers come back in the page with the errors.
    response = client.post(
        url, data={**form_tokens(client, url), "q_name": hostile, "q_comment": hostile}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    holders = Holders(hostile)
    holders.feed(page)
    assert len(holders.found) == 2, "both answers are shown again"
    assert all(isolated(chain) for chain in holders.found)
    # The controls appear nowhere else in the page (not in the error summary, not echoed).
    assert page.count("\u202e") == 4


def test_errors_on_a_survey_without_the_language_are_in_the_survey_language(client, session):
    factories.small(session, slug="english-only", languages=["en"])
    client.set_cookie("lang", "ur")
    url = "/s/english-only"
    response = client.post(url, data=form_tokens(client, url))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert html_lang(page) == ("en", "ltr")
    assert "Please answer this question." in page and "براہِ کرم" not in page
