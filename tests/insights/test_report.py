"""Reports: the same figures in md, csv, json and html; outside text inert; HTML renders."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inbox.metrics import Insights, compute
from inbox.report import render, report_data
from inbox.rows import row_from_mention
from tests.insights.conftest import CATS, NOW, mention
from tests.insights.test_metrics import SINCE, spec_mentions

HOSTILE_TEXT = (
    "<script>alert(1)</script> crashes | injected | row <img src=x onerror=alert(2)> "
    "[click](javascript:alert(3)) \x1b]52;c;AAAA\x07 \u202egnp.exe"
)


@pytest.fixture(scope="module")
def ins() -> Insights:
    ms = spec_mentions()
    for i in range(3):
        ms.append(
            mention(
                f"h{i}",
                HOSTILE_TEXT,
                at=NOW - timedelta(hours=2 + i),
                category="complaint",
                compound=-0.9,
                author='=HYPERLINK("http://evil.test","x") "><svg onload=alert(4)>',
                followers=7,
            )
        )
    ms.append(mention("ar", "التطبيق يتوقف عن العمل #عطل", at=NOW - timedelta(hours=1), lang="ar"))
    rows = [row_from_mention(m) for m in ms]
    return compute(rows, SINCE, NOW, now=NOW, categories=CATS, brand="Nimbus")


def _render(ins: Insights, fmt: str) -> str:
    buf = io.StringIO()
    render(ins, fmt, buf, brand="Nimbus")
    return buf.getvalue()


def test_json_carries_every_figure(ins: Insights) -> None:
    d = json.loads(_render(ins, "json"))
    assert d["total"] == ins.total and d["previous_total"] == ins.previous_total
    assert d["volume"]["by_category"] == {c: ins.volume[c] for c in CATS}
    assert len(d["volume"]["starts"]) == 7
    assert d["sentiment"] == ins.sentiment
    assert [s["source"] for s in d["sources"]] == [s for s, _ in ins.sources]
    assert d["terms"][0]["term"] == ins.terms[0].term
    assert {c["id"] for c in d["clusters"]} == {c.id for c in ins.clusters}
    comp = next(r for r in d["response"] if r["category"] == "complaint")
    fig = next(r for r in ins.response if r.category == "complaint")
    assert comp["median_minutes"] == 59 and fig.share_within is not None
    assert comp["share_within_sla"] == round(fig.share_within, 4) and comp["judged"] == fig.judged
    assert [p["key"] for p in d["fans"]] == ["alice"]
    # every example id named by a figure is described in "mentions"
    for ids in d["examples"].values():
        assert all(i in d["mentions"] for i in ids)
    assert report_data(ins)["open_breaching"] == ins.breaching


def test_csv_is_one_long_table_and_defuses_formulas(ins: Insights) -> None:
    rows = list(csv.reader(io.StringIO(_render(ins, "csv"))))
    assert rows[0] == ["section", "key", "value", "previous", "share", "extra", "examples"]
    total = next(r for r in rows if r[:2] == ["total", "mentions"])
    assert int(total[2]) == ins.total and int(total[3]) == ins.previous_total
    cats = [r for r in rows if r[0] == "category"]
    assert sum(int(r[2]) for r in cats) == ins.total
    vol = [r for r in rows if r[0] == "volume"]
    assert len(vol) == 7 * len(CATS) and sum(int(r[2]) for r in vol) == ins.total
    authors = [r[5] for r in rows if r[0] == "example" and r[1].startswith("h")]
    assert authors and all(a.startswith("'=HYPERLINK") for a in authors)


def test_markdown_escapes_outside_text(ins: Insights) -> None:
    md = _render(ins, "md")
    assert md.startswith("# Nimbus listening report")
    assert f"**{ins.total} mentions**" in md
    line = next(ln for ln in md.splitlines() if "injected" in ln)
    assert "\\| injected \\|" in line and "\\<script\\>" in line and "<script>" not in md
    assert "\x1b" not in md and "\u202e" not in md and "](javascript" not in md


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_is_self_contained_and_escapes_everything(ins: Insights) -> None:
    page = _render(ins, "html")
    p = _Tags()
    p.feed(page)
    allowed = {
        "html", "head", "meta", "title", "style", "body", "main", "header", "section", "div",
        "h1", "h2", "span", "table", "tr", "th", "td", "ul", "li", "br", "bdi", "b", "p",
        "footer", "svg", "polygon", "polyline", "rect", "text",
    }  # fmt: skip
    assert set(p.tags) <= allowed  # no script, img, a, iframe: nothing loads, nothing runs
    names = {n for n, _ in p.attrs}
    assert not {n for n in names if n.startswith("on")}  # no event handler came through
    assert not any(v and ("http" in v or "javascript" in v) for n, v in p.attrs if n != "content")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page
    assert "التطبيق يتوقف" in page  # Arabic kept as is, inside <bdi>


# -- rendering in a real browser ------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit PNG, unfiltered (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp)]


def _near(px: bytes, hex_colour: str, tol: int = 12) -> bool:
    want = bytes.fromhex(hex_colour.lstrip("#"))
    return all(abs(p - w) <= tol for p, w in zip(px, want, strict=True))


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_html_report_renders_in_headless_chromium(ins: Insights, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(_render(ins, "html"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1100,2600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1100, 2600)
    distinct = len(set(pixels))
    assert distinct > 50  # text, tables and charts, not a blank or error page
    # the inline SVG charts drew: sentiment bars (red, green) and a sparkline (blue)
    for colour in ("#e45756", "#54a24b", "#4c78a8"):
        assert sum(1 for px in pixels if _near(px, colour)) > 100, colour
    background = sum(1 for px in pixels if _near(px, "#f6f7f9", 2))
    assert background > width * height // 10  # the page's own stylesheet applied


# -- the command ----------------------------------------------------------------------------
def _veille(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "VEILLE_CONFIG": str(tmp / "config.toml"),
        "VEILLE_DATA_DIR": str(tmp / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_report_command_writes_each_format(tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    posts = [
        {
            "id": f"p{i}",
            "text": f"the export to pdf works {i}",
            "author": f"user{i % 3}",
            "created_at": (now - timedelta(hours=i)).isoformat(),
            "source": "mastodon",
        }
        for i in range(6)
    ] + [{"id": "old", "text": "old news", "created_at": (now - timedelta(days=20)).isoformat()}]
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in posts))
    done = _veille("ingest", str(src), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    out = _veille("report", "--since", "1d", "--format", "json", tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["total"] + d["spam"] == 6
    assert any(t["term"] == "export" and t["count"] + 0 >= 1 for t in d["terms"]) or d["spam"]
    html_out = tmp_path / "r.html"
    res = _veille("report", "--since", "7d", "--out", str(html_out), tmp=tmp_path)
    assert res.returncode == 0, res.stderr
    assert html_out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "written to" in res.stderr
    md = _veille("report", "--since", "30d", tmp=tmp_path)
    assert md.returncode == 0 and md.stdout.startswith("# Nimbus listening report")
    bad = _veille("report", "--since", "soon", tmp=tmp_path)
    assert bad.returncode == 2 and "duration" in bad.stderr


def test_report_terms_leave_out_the_brand_its_aliases_and_the_topic(tmp_path: Path) -> None:
    """Every mention names the brand: its names, in any script, are never a "top term"."""
    (tmp_path / "config.toml").write_text(
        '[veille]\nbrand = "Acme"\nbrand_aliases = ["أكمي"]\n\n'
        '[topic]\nkeywords = ["acme", "أكمي", "rocketship"]\n',
        encoding="utf-8",
    )
    now = datetime.now(timezone.utc)
    texts = ["acme rocketship export broken", "أكمي التصدير معطل", "Acme export again"]
    posts = [
        {"id": f"p{i}", "text": t, "created_at": (now - timedelta(minutes=i)).isoformat()}
        for i, t in enumerate(texts * 3)
    ]
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts))
    assert _veille("ingest", str(src), tmp=tmp_path).returncode == 0
    out = _veille("report", "--since", "1d", "--format", "json", tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    terms = {t["term"] for t in json.loads(out.stdout)["terms"]}
    assert "export" in terms
    assert not terms & {"acme", "أكمي", "اكمي", "rocketship"}, terms
    md = _veille("report", "--since", "1d", tmp=tmp_path)
    assert md.stdout.startswith("# Acme listening report")
