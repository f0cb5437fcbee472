"""Keyed pseudonyms: what joins a panellist's responses across the rounds of one study.

The study key is HMAC-SHA256(master key, "delphi-study:" + the study's random salt). The master
key is a file of its own in the instance folder (``instance/delphi_key``, 256 random bits,
mode 0600, made on first use like ``secret_key``; or ``CONSULT_DELPHI_KEY`` where several
machines serve one database), so a copy of the database alone cannot
recompute a panellist's key from the pseudonym in the contact table. Each study has its own
salt, so the same person on two panels gets unrelated keys: responses join across the rounds
of one study, never across studies.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

KEY_FILE = "delphi_key"


def configured_key(config: Mapping[str, Any], instance: Path) -> bytes:
    """``DELPHI_KEY`` when set (several machines, one database), else the instance's file."""
    given = config.get("DELPHI_KEY")
    if given:
        return bytes.fromhex(str(given))
    return master_key(instance)


def master_key(instance: Path) -> bytes:
    """The instance's Delphi master key, generated once (O_EXCL: never overwritten)."""
    path = instance / KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it between the read and the open
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def new_salt() -> str:
    return secrets.token_hex(32)


def new_pseudonym() -> str:
    """A panellist's pseudonym: 128 random bits, unrelated to any row id."""
    return secrets.token_hex(16)


def study_key(master: bytes, salt: str) -> bytes:
    return hmac.new(master, f"delphi-study:{salt}".encode(), hashlib.sha256).digest()


def panel_key(key: bytes, pseudonym: str) -> str:
    """HMAC-SHA256(study key, pseudonym), hex: stored on responses and carried by exports."""
    return hmac.new(key, pseudonym.encode("ascii"), hashlib.sha256).hexdigest()
