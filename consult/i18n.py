"""Languages: which the interface speaks, which way they are written, how one is chosen."""

from __future__ import annotations

from flask import current_app, request

# Written right to left: Urdu, Arabic, Persian, Pashto, Sindhi, Sorani Kurdish, Uyghur, Hebrew...
RTL_LANGUAGES = frozenset({"ur", "ar", "fa", "ps", "sd", "ckb", "ug", "he", "yi", "dv"})

# Each language's own name, for the language switcher.
NATIVE_NAMES = {"en": "English", "ur": "اردو"}


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from the language code alone: never guessed from the text."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def select_locale() -> str:
    """Flask-Babel's locale: ``?lang=`` if the interface speaks it, else the browser's choice."""
    supported: tuple[str, ...] = current_app.config["LANGUAGES"]
    asked = request.args.get("lang", "")
    if asked in supported:
        return asked
    return request.accept_languages.best_match(supported) or supported[0]
