"""Webhooks: a survey's responses and its opening and closing, pushed to another system as
signed JSON (docs/architecture.md, "Webhooks"). Above the features: a body is the raw
export's row (exports.raw)."""
