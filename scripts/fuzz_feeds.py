"""Corpus-driven fuzzing of feed parsing: every feed shape at hand, and mutations of each.

The corpus is every feed file veille's tests carry (tests/hostile/fixtures,
tests/sources/fixtures) plus, when present, the real feeds in ../shared/fixtures
(read at run time, never copied). Each file is parsed as it is, then as
`--mutations` seeded variants: bytes flipped, cut short, chunks repeated or
dropped, hostile snippets spliced in (DOCTYPE and ENTITY declarations, control
characters, invalid UTF-8, bidi overrides, deep nesting, huge attributes), the
encoding changed. A parse may succeed or end in `SourceError` (one clear line);
anything else is a crash. Successful parses are checked: plain text without
control characters, http(s) links only, time zone set, sizes capped. A parse
over `--slow` seconds is counted as slow.

    python scripts/fuzz_feeds.py [--mutations N] [--seed S] [--no-shared] [--save-crashes DIR]

Prints one line per crash and a summary; exits 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.base import SourceError  # noqa: E402
from sources.feed import parse_feed  # noqa: E402
from sources.models import Post  # noqa: E402

CORPUS_DIRS = [ROOT / "tests" / "hostile" / "fixtures", ROOT / "tests" / "sources" / "fixtures"]
SHARED = ROOT.parent / "shared" / "fixtures" / "real_feeds"
SUFFIXES = {".xml", ".rss", ".atom", ".json", ".rdf"}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SNIPPETS: list[bytes] = [
    b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    b"&xxe;&b;&nbsp;&#0;&#x1b;&#xD800;&#99999999;",
    b"\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m",
    b"\xff\xfe\xc3\x28\xed\xa0\x80\xf0\x28\x8c\x28",
    "\u202egpj.exe\u202c\u200b\ufeff".encode(),
    b"<![CDATA[ <script>alert(1)</script> ]]>",
    b"<link>javascript:alert(1)</link><link>file:///etc/passwd</link>",
    b"<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate><updated>0000-00-00T99:99:99Z</updated>",
    b"<title>" + b"A" * 200_000 + b"</title>",
    b"<div>" * 5000 + b"x" + b"</div>" * 5000,
    b"<item><guid>dup</guid><title>one</title></item><item><guid>dup</guid><title>two</title></item>",
    b'<a href="' + b"h" * 100_000 + b'">x</a>',
    b"<?xml-stylesheet href='x'?><!-- -- --><?pi?>",
    b'{"version": "https://jsonfeed.org/version/1", "items": [null, 1, {"title": []}]}',
    b"\x00" * 64,
]


@dataclass
class Tally:
    parsed: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    posts: int = 0
    seconds: float = 0.0

    @property
    def runs(self) -> int:
        return self.parsed + self.refused + len(self.crashes)


def corpus(use_shared: bool) -> Iterator[tuple[str, bytes]]:
    dirs = list(CORPUS_DIRS)
    if use_shared and SHARED.is_dir():
        dirs.append(SHARED)
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(d.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUFFIXES:
                try:
                    yield str(p.relative_to(ROOT.parent)), p.read_bytes()
                except OSError:
                    continue


def mutate(data: bytes, rnd: random.Random) -> tuple[str, bytes]:
    """One seeded mutation of a feed; returns what was done and the result."""
    n = len(data) or 1
    kind = rnd.randrange(9)
    if kind == 0:
        out = bytearray(data)
        for _ in range(rnd.randint(1, 16)):
            if out:
                out[rnd.randrange(len(out))] = rnd.randrange(256)
        return "flip", bytes(out)
    if kind == 1:
        return "cut", data[: rnd.randrange(n)]
    if kind == 2:
        a = rnd.randrange(n)
        b = min(n, a + rnd.randint(1, 2000))
        return "repeat", data[:b] + data[a:b] * rnd.randint(2, 50) + data[b:]
    if kind == 3:
        a = rnd.randrange(n)
        return "drop", data[:a] + data[a + rnd.randint(1, 500) :]
    if kind == 4:
        at = rnd.randrange(n)
        snippet = rnd.choice(SNIPPETS)
        return "splice", data[:at] + snippet + data[at:]
    if kind == 5:
        head = rnd.choice(SNIPPETS[:3])
        pos = data.find(b"?>") + 2 if b"?>" in data[:200] else 0
        return "prolog", data[:pos] + head + data[pos:]
    if kind == 6:
        text = data.decode("utf-8", "replace")
        enc = rnd.choice(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis"])
        return f"encode-{enc}", text.encode(enc, "replace")
    if kind == 7:
        tags = re.findall(rb"</?[A-Za-z][\w:.-]*", data)
        out = data
        for _ in range(rnd.randint(1, 10)):
            if tags:
                t = rnd.choice(tags)
                out = out.replace(t, rnd.choice(tags), 1)
        return "swap-tags", out
    return "bom-blank", rnd.choice([b"\xef\xbb\xbf", b"\n\n  ", b"\xfe\xff", b""]) + data


def check(posts: list[Post]) -> str | None:
    """What is wrong with a successful parse, or None."""
    for p in posts:
        if p.created_at.tzinfo is None:
            return f"{p.id}: naive datetime"
        if CONTROL.search(p.text.replace("\n", "")) or CONTROL.search(p.author):
            return f"{p.id}: control character in text or author"
        if p.url and not p.url.lower().startswith(("http://", "https://")):
            return f"{p.id}: non-http link {p.url[:40]!r}"
        if len(p.text) > 25_000 or len(p.title) > 1_000:
            return f"{p.id}: text {len(p.text)} / title {len(p.title)} over the caps"
        try:
            p.text.encode("utf-8")
        except UnicodeEncodeError:
            return f"{p.id}: lone surrogate in text"
    return None


def run_one(name: str, data: bytes, tally: Tally, slow: float, save: Path | None = None) -> None:
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            posts = parse_feed(data, source="fuzz", feed_url="https://feed.example/f")
    except SourceError as exc:
        tally.refused += 1
        if "\n" in str(exc):
            tally.invalid.append(f"{name}: multi-line error")
    except Exception as exc:  # noqa: BLE001 - counting crashes is the point
        where = traceback.extract_tb(exc.__traceback__)[-1]
        tally.crashes.append(
            f"{name}: {type(exc).__name__}: {str(exc)[:120]} at {where.filename}:{where.lineno}"
        )
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^\w.#-]+", "_", name)[-120:]
            (save / f"crash-{len(tally.crashes):04d}-{safe}").write_bytes(data)
    else:
        tally.parsed += 1
        tally.posts += len(posts)
        problem = check(posts)
        if problem:
            tally.invalid.append(f"{name}: {problem}")
    took = time.perf_counter() - t0
    tally.seconds += took
    if took > slow:
        tally.slow.append(f"{name}: {took:.2f} s")


def fuzz(
    mutations: int,
    seed: int,
    use_shared: bool = True,
    slow: float = 2.0,
    save: Path | None = None,
) -> Tally:
    tally = Tally()
    rnd = random.Random(seed)
    files = 0
    for name, data in corpus(use_shared):
        files += 1
        run_one(name, data, tally, slow, save)
        for i in range(mutations):
            what, variant = mutate(data, rnd)
            run_one(f"{name} #{i} {what}", variant, tally, slow, save)
    tally.files = files  # type: ignore[attr-defined]
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutations", type=int, default=200, help="variants per corpus file")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--no-shared", action="store_true", help="skip ../shared/fixtures")
    ap.add_argument("--slow", type=float, default=2.0, help="seconds that count as slow")
    ap.add_argument("--save-crashes", type=Path, metavar="DIR", help="write crashing inputs here")
    args = ap.parse_args(argv)
    t = fuzz(args.mutations, args.seed, not args.no_shared, args.slow, args.save_crashes)
    for line in t.crashes[:50]:
        print(f"CRASH {line}")
    for line in t.invalid[:50]:
        print(f"INVALID {line}")
    for line in t.slow[:20]:
        print(f"SLOW {line}")
    print(
        f"{getattr(t, 'files', 0)} files, {t.runs} parses in {t.seconds:.1f} s: "
        f"{t.parsed} parsed ({t.posts} posts), {t.refused} refused in one line, "
        f"{len(t.crashes)} crashes, {len(t.invalid)} invalid results, {len(t.slow)} slow"
    )
    return 1 if t.crashes or t.invalid else 0


if __name__ == "__main__":
    sys.exit(main())
