"""XLSForm's words as consult reads them: type names, metadata, what is not supported."""

from __future__ import annotations

import re

# Language names as XLSForm files spell them → codes consult uses.
LANGUAGE_CODES = {
    "english": "en", "urdu": "ur", "chinese": "zh", "french": "fr", "arabic": "ar",
    "spanish": "es", "punjabi": "pa", "sindhi": "sd", "pashto": "ps", "balochi": "bal",
    "portuguese": "pt", "hindi": "hi", "swahili": "sw", "default": "en",
}  # fmt: skip
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "uri:deviceid", "uri:email",
    "uri:phonenumber", "uri:simserial", "uri:subscriberid", "uri:username",
}  # fmt: skip
UNSUPPORTED = {
    "begin repeat": "repeats", "end repeat": "repeats", "geopoint": "geo (location)",
    "geotrace": "geo (location)", "geoshape": "geo (location)", "image": "media", "audio": "media",
    "video": "media", "file": "media", "background-audio": "media", "barcode": "barcodes",
    "calculate": "calculations", "datetime": "date and time", "time": "time of day",
    "range": "range", "hidden": "hidden fields", "xml-external": "external data",
    "csv-external": "external data", "include": "included forms", "phone number": "phone numbers",
    "phonenumber": "phone numbers", "trigger": "triggers",
}  # fmt: skip
# Columns that change what a question does; consult does not support them.
UNSUPPORTED_COLUMNS = {
    "calculation": "calculations", "repeat_count": "repeats", "read_only": "read-only fields",
    "choice_filter": "choice filters", "trigger": "triggers", "image": "media",
    "audio": "media", "video": "media", "media": "media",
}  # fmt: skip
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
PARAMETERS = {"min": float, "max": float, "max_length": int, "min_selections": int,
              "max_selections": int}  # fmt: skip
TRUE = {"yes", "true", "true()", "1", "y"}
FALSE = {"", "no", "false", "false()", "0", "n"}
