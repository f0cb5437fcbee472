"""Two-step sign-in with a time-based code (TOTP, RFC 6238) from an authenticator app."""

from __future__ import annotations

import io

import pyotp
import segno

ISSUER = "consult"


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def setup_qr_svg(secret: str, email: str) -> str:
    """The set-up link as an inline SVG QR code, for the authenticator app's camera."""
    buffer = io.BytesIO()
    segno.make(setup_uri(secret, email), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True
    )
    return buffer.getvalue().decode("utf-8")


def verify(secret: str | None, code: str) -> bool:
    """Whether ``code`` (six digits, spaces allowed) is valid now, or 30 s either side."""
    digits = "".join(code.split())
    if not secret or len(digits) != 6 or not digits.isdigit():
        return False
    return bool(pyotp.TOTP(secret).verify(digits, valid_window=1))
