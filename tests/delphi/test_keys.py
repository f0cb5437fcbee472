"""The keys behind the keyed pseudonyms: made once, 0600, overridable for several machines,
and one study's key never another's."""

from __future__ import annotations

from consult.delphi import keys


def test_the_configured_master_key_wins_over_the_instance_file(tmp_path):
    made = keys.configured_key({}, tmp_path)
    assert (tmp_path / keys.KEY_FILE).stat().st_mode & 0o077 == 0
    assert keys.configured_key({}, tmp_path) == made  # made once, read after
    assert keys.configured_key({"DELPHI_KEY": "ab" * 32}, tmp_path) == bytes.fromhex("ab" * 32)
    first = keys.panel_key(keys.study_key(made, "salt-1"), "pseudonym")
    assert first != keys.panel_key(keys.study_key(made, "salt-2"), "pseudonym")
