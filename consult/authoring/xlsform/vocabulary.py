"""XLSForm's words as consult reads them: type names, metadata, what is not supported."""

from __future__ import annotations

# Language names as XLSForm files spell them → codes consult uses.
LANGUAGE_CODES = {
    "english": "en", "urdu": "ur", "chinese": "zh", "french": "fr", "arabic": "ar",
    "spanish": "es", "punjabi": "pa", "sindhi": "sd", "pashto": "ps", "balochi": "bal",
    "portuguese": "pt", "hindi": "hi", "swahili": "sw", "default": "en",
}  # fmt: skip
# Metadata rows consult cannot fill (it keeps no device, phone or account data about
# respondents): left out with a warning; no answer is lost. start, end and today are types.
METADATA = {
    "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email", "audit",
    "start-geopoint", "uri:deviceid", "uri:email", "uri:phonenumber", "uri:simserial",
    "uri:subscriberid", "uri:username", "instanceid",
}  # fmt: skip
# Rows left out with a warning: they collect files consult does not keep (no answer typed).
MEDIA_TYPES = {"image", "audio", "video", "file", "background-audio", "background-geopoint"}
# Rows refused: consult cannot hold what they collect, so answers would be lost.
UNSUPPORTED = {
    "begin repeat": "repeats", "end repeat": "repeats", "geotrace": "geo traces (lines)",
    "geoshape": "geo shapes (areas)", "hidden": "hidden fields", "xml-external": "external data",
    "csv-external": "external data", "include": "included forms", "trigger": "triggers",
}  # fmt: skip
# Type names read as another type, and what the author is told.
READ_AS = {
    "barcode": "a barcode is typed in as short text",
    "phone number": "a phone number is typed in as short text",
    "phonenumber": "a phone number is typed in as short text",
    "range": "a range is asked as a whole number between its start and end",
}  # fmt: skip
# Columns left out with a warning: they change how a question looks, not what it collects.
IGNORED_COLUMNS = {
    "image": "media", "audio": "media", "video": "media", "media": "media",
    "big-image": "media", "read_only": "read-only fields", "trigger": "triggers",
    "body::accuracythreshold": "location accuracy", "autoplay": "autoplay",
}  # fmt: skip
# Columns that change what a question collects; consult cannot hold them.
UNSUPPORTED_COLUMNS = {"repeat_count": "repeats"}
# Columns of the choices sheet that are not a choice's own columns for filters.
CHOICE_COLUMNS = {"list_name", "name", "label", "stakeholder_group", "image", "audio", "video",
                  "media", "big-image", "order"}  # fmt: skip
PARAMETERS = {"min": float, "max": float, "max_length": int, "min_selections": int,
              "max_selections": int}  # fmt: skip
# XLSForm's parameters that mean consult's: range start=1 end=10.
PARAMETER_ALIASES = dict((("start", "min"), ("end", "max")))
# XLSForm parameters that only change how a question looks (left out quietly).
LOOKS = {"step", "randomize", "seed", "quality", "max-pixels", "rows", "value", "label"}
TRUE = {"yes", "true", "true()", "1", "y"}
FALSE = {"", "no", "false", "false()", "0", "n"}
