"""The catalogues, the direction rule and the Urdu font, checked without a server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from consult.i18n import direction

ROOT = Path(__file__).parents[2]
TRANSLATIONS = ROOT / "consult" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
URDU_LETTERS = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


def catalogue(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def pairs(lang: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) for every message and plural form."""
    found = []
    for message in catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(strings)]
    return found


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ur", "rtl"), ("ur-PK", "rtl"), ("UR", "rtl"), ("ps", "rtl"), ("sd", "rtl"), ("ar", "rtl"),
     ("fa", "rtl"), ("ckb", "rtl"), ("ug", "rtl"), ("he", "rtl"), ("en", "ltr"), ("pa", "ltr"),
     ("pa-Arab", "rtl"), ("bal", "rtl"), ("skr", "rtl"), ("brh", "rtl"), ("fr-FR", "ltr")],
)  # fmt: skip
def test_direction_is_decided_by_the_language_code(code, expected):
    assert direction(code) == expected


def test_catalogue_template_holds_every_string_in_the_code(tmp_path):
    """A string wrapped for translation but never extracted would show in English in Urdu."""
    fresh = tmp_path / "messages.pot"
    command = [
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
        "-k", "ngettext:1,2", "--ignore-dirs=.* node_modules", "-o", str(fresh), str(ROOT),
    ]  # fmt: skip
    CommandLineInterface().run(command)
    with fresh.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id}
    assert not wanted - known, f"run `make extract-messages` and translate: {wanted - known}"


def test_every_message_is_in_both_catalogues_and_translated_into_urdu():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for lang in ("en", "ur"):
        assert template <= {m.id for m in catalogue(lang) if m.id}, lang
    urdu = catalogue("ur")
    assert not [m.id for m in urdu if m.id and m.fuzzy]
    assert not [msgid for msgid, text in pairs("ur") if not text]


def test_urdu_translations_keep_placeholders_and_use_urdu_punctuation():
    problems = []
    for msgid, text in pairs("ur"):
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ: {msgid!r}")
        prose = PLACEHOLDER.sub("", text)
        if not URDU_LETTERS.search(prose):
            problems.append(f"not Urdu: {msgid!r}")
        # Urdu full stop, question mark, comma and semicolon: never the Latin ones.
        if re.search(r"[.?][)\s]*$", prose) or "?" in prose:
            problems.append(f"Latin full stop or question mark: {text!r}")
        if re.search(r"[\u0600-\u06ff][,;]", prose):
            problems.append(f"Latin comma or semicolon: {text!r}")
        if re.search(r"[.?!]\s*$", msgid) and not re.search(r"[۔؟!]\)?\s*$", text):
            problems.append(f"sentence without an Urdu full stop: {text!r}")
    assert not problems, "\n".join(problems)


def test_the_urdu_font_has_every_letter_the_interface_and_the_consultation_use():
    font = TTFont(ROOT / "static" / "fonts" / "noto-nastaliq-urdu.woff2")
    cmap = set(font.getBestCmap())
    text = "".join(text for _, text in pairs("ur"))
    nisp = yaml.safe_load((ROOT / "consult" / "data" / "nisp-consultation.yaml").read_text("utf-8"))

    def urdu(node: object) -> str:
        if isinstance(node, dict):
            return "".join(
                (value if key == "ur" and isinstance(value, str) else urdu(value))
                for key, value in node.items()
            )
        if isinstance(node, list):
            return "".join(urdu(item) for item in node)
        return ""

    letters = {ord(c) for c in text + urdu(nisp) if URDU_LETTERS.match(c) or c in "،؛؟۔"}
    missing = sorted(chr(c) for c in letters - cmap)
    assert not missing, f"not in the font subset (see `make fonts`): {missing}"
