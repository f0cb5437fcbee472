"""Webhooks: a survey's responses and its opening and closing, pushed to another system as
signed JSON (docs/architecture.md, "Webhooks"). Above the features: a body is the raw
export's row (exports.raw).

May import: the features below it (authoring, exports, distribution, review), analysis,
collection, accounts, the kernel, spreadsheets and the foundation. Never api or delphi (its
siblings in the layer) or the shell.
"""
