"""QR codes for group links as SVG: a bare code for a page, a captioned card (group, language,
short address), and a printable A4 sheet of cards to cut out.

Every code keeps a quiet zone of 4 modules, as ISO/IEC 18004 asks and scanners expect. Captions
in a right-to-left language are set right to left in Nastaliq, the font embedded in the file (a
printed sheet has no web page to lend it a font); addresses are set left to right in a Latin
face. Knows no request: the views pass the links and the words.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from markupsafe import Markup, escape

from consult.i18n import direction

QUIET_ZONE = 4  # modules of white around the code
# A4 in millimetres, the margin a printer leaves, and the card grid (two across, four down).
A4 = (210.0, 297.0)
MARGIN = 10.0
COLUMNS, ROWS = 2, 4
CARDS_PER_SHEET = COLUMNS * ROWS
FONT = Path(__file__).parents[2] / "static" / "fonts" / "noto-nastaliq-urdu.woff2"
LATIN = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
NASTALIQ = "'Consult Nastaliq', 'Noto Nastaliq Urdu', 'Noto Naskh Arabic', Tahoma, sans-serif"


@dataclass(frozen=True)
class Card:
    """One link to print: the group (or "public link"), the language, the address."""

    group: str
    language: str
    lang: str  # the language's code: the caption's direction and font
    link: str

    @property
    def short(self) -> str:
        """The address as people type it: without https://."""
        return self.link.split("://", 1)[-1]


def modules(link: str) -> tuple[str, int]:
    """An SVG path of the code's dark modules (one unit each), and its size with the quiet zone."""
    code = segno.make(link, error="m")
    rows = [list(row) for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    path = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                run = 1
                while x + run < len(row) and row[x + run]:
                    run += 1
                path.append(f"M{x} {y}h{run}v1h-{run}z")
                x += run
            else:
                x += 1
    return "".join(path), len(rows)


def qr_svg(link: str, label: str) -> Markup:
    """A bare code to put in a web page (scales with its box; ``label`` names it)."""
    path, size = modules(link)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" role="img" '
        'aria-label="{1}" shape-rendering="crispEdges" class="qr">'
        '<rect width="{0}" height="{0}" fill="#fff"/><path d="{2}" fill="#000"/></svg>'
    ).format(size, label, path)


def _font_face(cards: list[Card]) -> str:
    if all(direction(card.lang) == "ltr" for card in cards):
        return ""
    return (
        "<defs><style>@font-face{font-family:'Consult Nastaliq';"
        f"src:url(data:font/woff2;base64,{_font_data()}) format('woff2');}}</style></defs>"
    )


@lru_cache(maxsize=1)
def _font_data() -> str:
    return base64.b64encode(FONT.read_bytes()).decode("ascii")


def _fitted(text: str, width: float, size: float) -> str:
    """textLength when ``text`` would run wider than ``width`` (an address is one line)."""
    estimate = len(text) * size * 0.55
    if estimate <= width:
        return ""
    return f' textLength="{width:.1f}" lengthAdjust="spacingAndGlyphs"'


def _card(card: Card, x: float, y: float, width: float, height: float) -> str:
    """One card at (x, y), in millimetres: caption, code, address; a dashed line to cut along."""
    rtl = direction(card.lang) == "rtl"
    font = NASTALIQ if rtl else LATIN
    centre = x + width / 2
    text = (
        f'<text x="{centre:.1f}" y="{{y:.1f}}" font-size="{{size}}" text-anchor="middle" '
        f'font-family="{font}" direction="{"rtl" if rtl else "ltr"}" xml:lang="{card.lang}"'
    )
    # Nastaliq climbs high above its baseline and needs more room than Latin type.
    group_y, language_y = y + (13 if rtl else 9), y + (21 if rtl else 15)
    code_y = language_y + (2 if rtl else 1)
    code_size = height - (code_y - y) - 9
    path, count = modules(card.link)
    address_y = code_y + code_size + 4.5
    address_width = width - 8
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="none" '
        'stroke="#888" stroke-width="0.2" stroke-dasharray="2 2"/>'
        + text.format(y=group_y, size=5.5 if rtl else 5)
        + f' font-weight="700">{escape(card.group)}</text>'
        + text.format(y=language_y, size=4.2 if rtl else 4)
        + f">{escape(card.language)}</text>"
        + f'<svg x="{centre - code_size / 2:.1f}" y="{code_y:.1f}" width="{code_size:.1f}" '
        f'height="{code_size:.1f}" viewBox="0 0 {count} {count}" shape-rendering="crispEdges">'
        f'<rect width="{count}" height="{count}" fill="#fff"/><path d="{path}"/></svg>'
        + f'<text x="{centre:.1f}" y="{address_y:.1f}" font-size="3" text-anchor="middle" '
        f'font-family="{LATIN}" direction="ltr" xml:lang="en"'
        f"{_fitted(card.short, address_width, 3)}>{escape(card.short)}</text>"
    )


def card_svg(card: Card) -> str:
    """One captioned card, 95 × 69 mm: a poster or a letter can take it as it is."""
    width, height = (A4[0] - 2 * MARGIN) / COLUMNS, (A4[1] - 2 * MARGIN) / ROWS
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}mm" height="{height:.1f}mm" '
        f'viewBox="0 0 {width:.1f} {height:.1f}">{_font_face([card])}'
        f'<rect width="{width:.1f}" height="{height:.1f}" fill="#fff"/>'
        f"{_card(card, 0, 0, width, height)}</svg>\n"
    )


def sheet_svg(cards: list[Card], title: str) -> str:
    """Up to eight cards on an A4 page (2 × 4), with lines to cut along."""
    width, height = (A4[0] - 2 * MARGIN) / COLUMNS, (A4[1] - 2 * MARGIN) / ROWS
    placed = []
    for index, card in enumerate(cards[:CARDS_PER_SHEET]):
        column, row = index % COLUMNS, index // COLUMNS
        placed.append(_card(card, MARGIN + column * width, MARGIN + row * height, width, height))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4[0]:.0f}mm" height="{A4[1]:.0f}mm" '
        f'viewBox="0 0 {A4[0]:.0f} {A4[1]:.0f}"><title>{escape(title)}</title>'
        f'{_font_face(cards)}<rect width="{A4[0]:.0f}" height="{A4[1]:.0f}" fill="#fff"/>'
        + "".join(placed)
        + "</svg>\n"
    )


def sheets(cards: list[Card]) -> list[list[Card]]:
    """The cards, eight to a sheet."""
    return [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)] or [[]]
