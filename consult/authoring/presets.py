"""Scale presets: the points of common rating scales, labelled in English and Urdu.

A new scale starts from one (agreement, 5 points), so an author never types "Strongly agree"
twice; the Urdu follows the project's glossary (agreement as in the NISP consultation).
Languages a preset has no words for are left empty: the translation view lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

# (English, Urdu) per point, most negative first.
_POINTS: dict[str, dict[int, list[tuple[str, str]]]] = {
    "agreement": {
        5: [("Strongly disagree", "بالکل متفق نہیں"), ("Disagree", "متفق نہیں"),
            ("Neutral", "غیر جانبدار"), ("Agree", "متفق"), ("Strongly agree", "مکمل طور پر متفق")],
        7: [("Strongly disagree", "بالکل متفق نہیں"), ("Disagree", "متفق نہیں"),
            ("Somewhat disagree", "کسی حد تک متفق نہیں"), ("Neutral", "غیر جانبدار"),
            ("Somewhat agree", "کسی حد تک متفق"), ("Agree", "متفق"),
            ("Strongly agree", "مکمل طور پر متفق")],
    },
    "feasibility": {
        5: [("Not feasible at all", "بالکل قابلِ عمل نہیں"), ("Barely feasible", "بہت کم قابلِ عمل"),
            ("Partly feasible", "جزوی طور پر قابلِ عمل"),
            ("Largely feasible", "بڑی حد تک قابلِ عمل"),
            ("Fully feasible", "مکمل طور پر قابلِ عمل")],
        7: [("Not feasible at all", "بالکل قابلِ عمل نہیں"), ("Barely feasible", "بہت کم قابلِ عمل"),
            ("Slightly feasible", "تھوڑا سا قابلِ عمل"), ("Partly feasible", "جزوی طور پر قابلِ عمل"),
            ("Moderately feasible", "کافی حد تک قابلِ عمل"),
            ("Largely feasible", "بڑی حد تک قابلِ عمل"),
            ("Fully feasible", "مکمل طور پر قابلِ عمل")],
    },
    "importance": {
        5: [("Not at all important", "بالکل اہم نہیں"), ("Slightly important", "تھوڑا سا اہم"),
            ("Moderately important", "کسی حد تک اہم"), ("Very important", "بہت اہم"),
            ("Extremely important", "انتہائی اہم")],
        7: [("Not at all important", "بالکل اہم نہیں"), ("Low importance", "کم اہم"),
            ("Slightly important", "تھوڑا سا اہم"), ("Neutral", "غیر جانبدار"),
            ("Moderately important", "کسی حد تک اہم"), ("Very important", "بہت اہم"),
            ("Extremely important", "انتہائی اہم")],
    },
    "frequency": {
        5: [("Never", "کبھی نہیں"), ("Rarely", "شاذ و نادر"), ("Sometimes", "کبھی کبھی"),
            ("Often", "اکثر"), ("Always", "ہمیشہ")],
        7: [("Never", "کبھی نہیں"), ("Very rarely", "بہت ہی کم"), ("Rarely", "شاذ و نادر"),
            ("Sometimes", "کبھی کبھی"), ("Often", "اکثر"), ("Very often", "بہت اکثر"),
            ("Always", "ہمیشہ")],
    },
}  # fmt: skip

_TITLES = {
    "agreement": _l("Agreement"),
    "feasibility": _l("Feasibility"),
    "importance": _l("Importance"),
    "frequency": _l("Frequency"),
}

# The preset a new scale starts from.
DEFAULT = "agreement-5"


@dataclass(frozen=True)
class Preset:
    # "agreement-5": the scale and its number of points.
    key: str
    title: Any
    points: list[dict[str, str]]


def presets() -> list[Preset]:
    """Every preset, its title in the interface language ("Agreement, 5 points")."""
    found = []
    for name, sizes in _POINTS.items():
        for size, points in sizes.items():
            title = _l("%(scale)s, %(n)d points", scale=_TITLES[name], n=size)
            labels = [{"en": en, "ur": ur} for en, ur in points]
            found.append(Preset(f"{name}-{size}", title, labels))
    return found


def points(key: str, languages: list[str]) -> list[dict[str, str]] | None:
    """The labels of preset ``key`` in the survey's languages (None: no such preset)."""
    preset = next((p for p in presets() if p.key == key), None)
    if preset is None:
        return None
    return [{lang: label[lang] for lang in languages if lang in label} for label in preset.points]
