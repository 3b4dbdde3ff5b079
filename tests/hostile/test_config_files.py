"""config.toml written badly: every command still starts, says what is wrong, and where."""

from __future__ import annotations

import pytest

from .conftest import Veille

CONFIGS = {
    "syntax": b'[veille\nbrand = "acme"\n',
    "deep": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
    "utf16": '[veille]\nbrand = "acme"\n'.encode("utf-16"),
    "latin1": '[veille]\nbrand = "caf\xe9"\n'.encode("latin-1"),
    "types": b'[veille]\nbrand = 5\nvip = "one"\narchive_after_days = -3\n[topic]\nkeywords = 7\n',
    "sources": b'[[source]]\nkind = "feed"\nurl = "javascript:alert(1)"\n[[source]]\nkind = "x"\n'
    b'[[source]]\nkind = "mastodon"\ninstance = ""\ntag = "a"\n[[source]]\n'
    b'kind = "feed"\nurl = "https://a.example/f"\ninterval = "soon"\n',
    "keys": b'[keys]\ndone = ""\nnope = "z"\nquit = "q,q,q"\n',
    "huge": b"# " + b"x" * 3_000_000 + b"\n",
    "table-as-value": b'veille = "flat"\nsource = 5\nrules = [1, 2]\n',
}


@pytest.mark.parametrize("data", list(CONFIGS.values()), ids=list(CONFIGS))
def test_broken_config_is_reported_never_a_traceback(veille: Veille, data: bytes) -> None:
    veille.config.write_bytes(data)
    r = veille.run("export", "--format", "jsonl", timeout=60)
    assert "Traceback" not in r.stderr, r.stderr[-1500:]
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert all(len(ln) < 400 for ln in lines)
    if r.returncode != 0 or lines:
        assert any(str(veille.config.name) in ln or "config" in ln for ln in lines), lines
    listed = veille.run("sources", "list", timeout=60)
    assert "Traceback" not in listed.stderr, listed.stderr[-1500:]
