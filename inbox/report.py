"""Reports for a period as Markdown, HTML, CSV or JSON, each figure with its examples.

The HTML report is one file a stakeholder can open offline: inline CSS, inline SVG
charts, no script, a Content-Security-Policy that forbids loading anything. Every
string that came from outside (post text, author names, terms, URLs) goes
through `html.escape`; Markdown cells are escaped the same way so a post cannot
inject a table row, a link or raw HTML into a rendered report.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterable
from typing import IO, Any

from inbox.authors import AuthorProfile
from inbox.metrics import Example, Insights, ResponseFigure, TermChange

__all__ = ["FORMATS", "render", "report_data"]

FORMATS = ("md", "html", "csv", "json")
PALETTE = ("#4c78a8", "#e45756", "#f58518", "#54a24b", "#79706e", "#b279a2", "#9d755d")
SENTIMENT_COLOURS = {"negative": "#e45756", "neutral": "#bab0ac", "positive": "#54a24b"}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def render(ins: Insights, fmt: str, out: IO[str], *, brand: str = "") -> None:
    """Write the report in one of `FORMATS`."""
    if fmt == "json":
        json.dump(report_data(ins, brand=brand), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "md":
        out.write(_markdown(ins, brand))
    elif fmt == "html":
        out.write(_html(ins, brand))
    elif fmt == "csv":
        _csv(ins, out)
    else:
        raise ValueError(f"unknown report format '{fmt}' (one of {', '.join(FORMATS)})")


# -- shared helpers ------------------------------------------------------------------
def _plain(s: object, limit: int = 280) -> str:
    """Outside text on one line, without control or bidi-override characters."""
    t = " ".join(_CONTROL.sub(" ", str(s)).split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _mins(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 90:
        return f"{x:.0f} min"
    if x < 48 * 60:
        return f"{x / 60:.1f} h"
    return f"{x / 1440:.1f} d"


def _change(tc: TermChange) -> str:
    if tc.previous == 0:
        return "new" if tc.count else "–"
    return f"{tc.change:+d} ({tc.change_pct:+.0f}%)"


def _period(ins: Insights) -> str:
    return f"{ins.since:%Y-%m-%d %H:%M} – {ins.until:%Y-%m-%d %H:%M} UTC"


def _ex(ins: Insights, key: str) -> list[Example]:
    return [ins.mentions[i] for i in ins.examples.get(key, []) if i in ins.mentions]


def _example_doc(e: Example) -> dict[str, Any]:
    return {
        "id": e.id,
        "author": e.author,
        "created_at": e.created.isoformat(),
        "source": e.source,
        "category": e.category,
        "sentiment": e.sentiment,
        "url": e.url,
        "text": e.text,
    }


def _author_doc(p: AuthorProfile) -> dict[str, Any]:
    return {
        "author": p.name,
        "key": p.key,
        "mentions": p.count,
        "in_period": p.in_period,
        "mean_sentiment": round(p.mean_sentiment, 3),
        "positive": p.positive,
        "negative": p.negative,
        "reach": p.reach,
        "drew": p.drew,
        "influence": round(p.influence, 3),
        "answered": p.answered,
        "unanswered_open": p.unanswered_open,
        "sources": sorted(p.sources),
        "vip": p.vip,
        "sentiment_by_day": [[d, round(s, 3)] for d, s in p.timeline()],
    }


def _response_doc(r: ResponseFigure) -> dict[str, Any]:
    return {
        "category": r.category,
        "mentions": r.mentions,
        "answered": r.answered,
        "median_minutes": None if r.median_minutes is None else round(r.median_minutes, 2),
        "p90_minutes": None if r.p90_minutes is None else round(r.p90_minutes, 2),
        "sla_minutes": r.sla_minutes,
        "judged": r.judged,
        "within_sla": r.within,
        "share_within_sla": None if r.share_within is None else round(r.share_within, 4),
        "open_breaching": r.breaching_open,
        "examples": r.examples,
    }


def _term_doc(t: TermChange) -> dict[str, Any]:
    return {
        "term": t.term,
        "count": t.count,
        "previous": t.previous,
        "change": t.change,
        "change_pct": None if t.change_pct is None else round(t.change_pct, 1),
        "examples": t.examples,
    }


def report_data(ins: Insights, *, brand: str = "") -> dict[str, Any]:
    """Every figure as plain data: the JSON report, and what the other formats show."""
    starts = ins.bucket_starts()
    return {
        "brand": brand,
        "since": ins.since.isoformat(),
        "until": ins.until.isoformat(),
        "generated_at": ins.now.isoformat(),
        "total": ins.total,
        "previous_total": ins.previous_total,
        "spam": ins.spam,
        "volume": {
            "bucket_seconds": int(ins.bucket.total_seconds()),
            "starts": [s.isoformat() for s in starts],
            "by_category": {c: ins.volume.get(c, []) for c in ins.categories},
        },
        "sentiment": ins.sentiment,
        "sources": [
            {"source": s, "count": n, "share": round(ins.share(n), 4)} for s, n in ins.sources
        ],
        "terms": [_term_doc(t) for t in ins.terms],
        "hashtags": [_term_doc(t) for t in ins.hashtags],
        "clusters": [
            {"id": c.id, "count": c.count, "open": c.open, "text": c.text, "examples": c.examples}
            for c in ins.clusters
        ],
        "response": [_response_doc(r) for r in ins.response],
        "response_overall": _response_doc(ins.overall) if ins.overall else None,
        "open_breaching": ins.breaching,
        "fans": [_author_doc(p) for p in ins.fans],
        "detractors": [_author_doc(p) for p in ins.detractors],
        "influencers": [_author_doc(p) for p in ins.influencers],
        "vips": [_author_doc(p) for p in ins.vips],
        "examples": {k: v for k, v in ins.examples.items() if v},
        "mentions": {i: _example_doc(e) for i, e in ins.mentions.items()},
    }


# -- Markdown ------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def _md(s: object, limit: int = 280) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _plain(s, limit))


def _md_examples(ins: Insights, key: str) -> list[str]:
    out = []
    for e in _ex(ins, key):
        out.append(
            f"  - _{_md(e.author, 60)}_ ({e.created:%Y-%m-%d %H:%M}, {_md(e.source)}): "
            + _md(e.text)
        )
    return out


def _markdown(ins: Insights, brand: str) -> str:
    L: list[str] = []
    title = f"{_md(brand)} listening report" if brand else "Listening report"
    L += [f"# {title}", "", f"Period: {_period(ins)}", ""]
    delta = ins.total - ins.previous_total
    L += [
        f"**{ins.total} mentions** ({delta:+d} on the previous period; {ins.spam} spam left out)",
        "",
    ]
    L += _md_examples(ins, "total") + [""]
    L += ["## Volume by category", "", "| category | mentions | share |", "|---|---:|---:|"]
    for c in ins.categories:
        n = sum(ins.volume.get(c, []))
        L.append(f"| {_md(c)} | {n} | {_pct(ins.share(n))} |")
    L.append("")
    for c in ins.categories:
        if _ex(ins, f"category:{c}"):
            L += [f"Examples, {_md(c)}:"] + _md_examples(ins, f"category:{c}") + [""]
    L += ["## Sentiment", "", "| sentiment | mentions | share |", "|---|---:|---:|"]
    for k, n in ins.sentiment.items():
        L.append(f"| {k} | {n} | {_pct(ins.share(n))} |")
    L.append("")
    for k in ins.sentiment:
        if _ex(ins, f"sentiment:{k}"):
            L += [f"Examples, {k}:"] + _md_examples(ins, f"sentiment:{k}") + [""]
    for name, items in (("Top terms", ins.terms), ("Top hashtags", ins.hashtags)):
        L += [f"## {name}", "", "| term | mentions | previous | change |", "|---|---:|---:|---:|"]
        for t in items:
            L.append(f"| {_md(t.term, 60)} | {t.count} | {t.previous} | {_change(t)} |")
        L.append("")
        for t in items[:5]:
            L += [f"Examples, {_md(t.term, 60)}:"] + _md_examples(ins, f"term:{t.term}") + [""]
    L += ["## Top clusters", "", "| mentions | open | first mention |", "|---:|---:|---|"]
    for cf in ins.clusters:
        L.append(f"| {cf.count} | {cf.open} | {_md(cf.text, 120)} |")
    L.append("")
    for cf in ins.clusters[:5]:
        L += [f"Examples, cluster {_md(cf.id, 60)}:"] + _md_examples(ins, f"cluster:{cf.id}") + [""]
    L += ["## Sources", "", "| source | mentions | share |", "|---|---:|---:|"]
    for s, n in ins.sources:
        L.append(f"| {_md(s, 60)} | {n} | {_pct(ins.share(n))} |")
    L.append("")
    L += [
        "## Response times",
        "",
        "| category | answered | median | p90 | SLA | within SLA | open breaching |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = list(ins.response) + ([ins.overall] if ins.overall else [])
    for r in rows:
        sla = _mins(r.sla_minutes) if r.sla_minutes else "–"
        L.append(
            f"| {_md(r.category)} | {r.answered} | {_mins(r.median_minutes)} | "
            f"{_mins(r.p90_minutes)} | {sla} | {_pct(r.share_within)} | {r.breaching_open} |"
        )
    L.append("")
    for r in ins.response:
        if _ex(ins, f"response:{r.category}"):
            L += [f"Examples, answered {_md(r.category)}:"]
            L += _md_examples(ins, f"response:{r.category}") + [""]
    if ins.breaching:
        L += [f"**{ins.breaching} open mentions are past their SLA.**", ""]
        L += _md_examples(ins, "breaching") + [""]
    for name, key, group in (
        ("Fans", "fan", ins.fans),
        ("Detractors", "detractor", ins.detractors),
        ("Influencers", "influencer", ins.influencers),
    ):
        L += [
            f"## {name}",
            "",
            "| author | mentions | mean sentiment | reach | drew | answered |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for p in group:
            vip = " (VIP)" if p.vip else ""
            L.append(
                f"| {_md(p.name, 60)}{vip} | {p.count} | {p.mean_sentiment:+.2f} | {p.reach} | "
                f"{p.drew} | {p.answered} |"
            )
        L.append("")
        for p in group[:3]:
            if _ex(ins, f"{key}:{p.key}"):
                L += [f"Examples, {_md(p.name, 60)}:"] + _md_examples(ins, f"{key}:{p.key}") + [""]
    return "\n".join(L) + "\n"


# -- CSV -------------------------------------------------------------------------------
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character is defused."""
    if v is None:
        return ""
    s = str(v)
    if isinstance(v, str) and s.startswith(_FORMULA):
        return "'" + s
    return s


def _csv(ins: Insights, out: IO[str]) -> None:
    """One long table: section, key, value, previous, share, extra, example ids."""
    w = csv.writer(out)
    w.writerow(["section", "key", "value", "previous", "share", "extra", "examples"])

    def row(sec: str, key: object, val: object, prev: object = "", share: object = "",
            extra: object = "", ex: Iterable[str] = ()) -> None:  # fmt: skip
        w.writerow([_cell(x) for x in (sec, key, val, prev, share, extra, " ".join(ex))])

    row("period", "since", ins.since.isoformat())
    row("period", "until", ins.until.isoformat())
    row("total", "mentions", ins.total, ins.previous_total, "", "", ins.examples.get("total", []))
    row("total", "spam", ins.spam)
    for c in ins.categories:
        n = sum(ins.volume.get(c, []))
        row("category", c, n, "", round(ins.share(n), 4), "", ins.examples.get(f"category:{c}", []))
    for b, start in enumerate(ins.bucket_starts()):
        for c in ins.categories:
            vals = ins.volume.get(c, [])
            row("volume", f"{start.isoformat()}|{c}", vals[b] if b < len(vals) else 0)
    for k, n in ins.sentiment.items():
        row(
            "sentiment",
            k,
            n,
            "",
            round(ins.share(n), 4),
            "",
            ins.examples.get(f"sentiment:{k}", []),
        )
    for sec, items in (("term", ins.terms), ("hashtag", ins.hashtags)):
        for t in items:
            row(sec, t.term, t.count, t.previous, "", t.change, t.examples)
    for cf in ins.clusters:
        row("cluster", cf.id, cf.count, "", "", _plain(cf.text, 200), cf.examples)
    for s, n in ins.sources:
        row("source", s, n, "", round(ins.share(n), 4), "", ins.examples.get(f"source:{s}", []))
    for r in list(ins.response) + ([ins.overall] if ins.overall else []):
        ex = r.examples
        row("response_median_minutes", r.category, _round(r.median_minutes), "", "", "", ex)
        row("response_p90_minutes", r.category, _round(r.p90_minutes))
        row("response_answered", r.category, r.answered, "", "", r.mentions)
        row("sla_within", r.category, r.within, "", _round(r.share_within, 4), r.judged)
        row("sla_open_breaching", r.category, r.breaching_open)
    for sec, group in (
        ("fan", ins.fans),
        ("detractor", ins.detractors),
        ("influencer", ins.influencers),
        ("vip", ins.vips),
    ):
        for p in group:
            extra = f"reach={p.reach} drew={p.drew} sentiment={p.mean_sentiment:+.3f}"
            row(sec, p.name, p.count, "", "", extra, ins.examples.get(f"{sec}:{p.key}", []))
    for e in ins.mentions.values():
        row("example", e.id, _plain(e.text), "", "", f"{e.author} {e.created.isoformat()}")


def _round(x: float | None, n: int = 2) -> str:
    return "" if x is None else str(round(x, n))


# -- HTML ------------------------------------------------------------------------------
def _h(s: object, limit: int = 280) -> str:
    return html.escape(_plain(s, limit), quote=True)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Sans Arabic",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dce3}
section>h2:first-child{margin-top:0}
.muted{color:#5b6473}.big{font-size:40px;font-weight:700}
section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:14px 18px;margin:14px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.ex{margin:6px 0 0 0;padding:0;list-style:none;font-size:13px;color:#39404d}
.ex li{border-left:3px solid #c9ced8;padding:2px 8px;margin:4px 0}
.up{color:#b3261e}.down{color:#1e7b34}.legend span{display:inline-block;margin-right:14px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}
"""


def _html_examples(ins: Insights, key: str) -> str:
    items = []
    for e in _ex(ins, key):
        meta = f"{_h(e.author, 60)} · {e.created:%Y-%m-%d %H:%M} · {_h(e.source, 40)}"
        items.append(f'<li><span class="muted">{meta}</span><br><bdi>{_h(e.text)}</bdi></li>')
    return f'<ul class="ex">{"".join(items)}</ul>' if items else ""


def _spark(values: list[int], colour: str, width: int = 360, height: int = 36) -> str:
    if not values:
        return ""
    top = max(values) or 1
    n = len(values)
    step = width / max(1, n - 1)
    pts = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    area = f"0,{height} {pts} {width:.1f},{height}"
    return (
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polygon points="{area}" fill="{colour}" fill-opacity="0.18"/>'
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/></svg>'
    )


def _bars(items: list[tuple[str, int]], total: int, colours: dict[str, str] | None = None) -> str:
    """Horizontal bars with labels, drawn in SVG so the file needs nothing else."""
    if not items:
        return '<p class="muted">No mentions.</p>'
    h, w = 22, 640
    rows = []
    for i, (label, n) in enumerate(items):
        frac = n / total if total else 0.0
        colour = (colours or {}).get(label, PALETTE[i % len(PALETTE)])
        y = i * h
        rows.append(
            f'<text x="0" y="{y + 15}" font-size="12">{_h(label, 40)}</text>'
            f'<rect x="160" y="{y + 4}" width="{max(1.0, frac * 380):.1f}" height="14" '
            f'fill="{colour}" rx="2"/>'
            f'<text x="{168 + frac * 380:.1f}" y="{y + 15}" font-size="12">{n} ({frac:.0%})</text>'
        )
    return (
        f'<svg role="img" width="{w}" height="{h * len(items)}" '
        f'viewBox="0 0 {w} {h * len(items)}">{"".join(rows)}</svg>'
    )


def _html(ins: Insights, brand: str) -> str:
    P: list[str] = []
    title = f"{_h(brand, 60)} listening report" if brand else "Listening report"
    delta = ins.total - ins.previous_total
    cls = "up" if delta > 0 else "down" if delta < 0 else "muted"
    P.append(
        f"<header><h1>{title}</h1><div class='muted'>{_h(_period(ins))} · generated "
        f"{ins.now:%Y-%m-%d %H:%M} UTC</div></header>"
    )
    P.append(
        f'<section id="total"><div class="big">{ins.total}</div> mentions '
        f'<span class="{cls}">({delta:+d} on the previous period)</span>'
        f' <span class="muted">· {ins.spam} spam left out</span>'
        f"{_html_examples(ins, 'total')}</section>"
    )
    vol = ['<section id="volume"><h2>Volume over time by category</h2><table>']
    starts = ins.bucket_starts()
    if starts:
        unit = "hour" if ins.bucket.total_seconds() < 86400 else "day"
        vol.append(
            f'<tr><th>category</th><th class="n">mentions</th><th>per {unit}, '
            f"{starts[0]:%m-%d} to {starts[-1]:%m-%d}</th></tr>"
        )
    for i, c in enumerate(ins.categories):
        vals = ins.volume.get(c, [])
        colour = PALETTE[i % len(PALETTE)]
        vol.append(
            f'<tr><td><span class="sw" style="background:{colour}"></span>{_h(c, 40)}</td>'
            f'<td class="n">{sum(vals)}</td><td>{_spark(vals, colour)}</td></tr>'
        )
    vol.append("</table>")
    for c in ins.categories:
        ex = _html_examples(ins, f"category:{c}")
        if ex:
            vol.append(f'<div class="muted">{_h(c, 40)}</div>{ex}')
    vol.append("</section>")
    P.append("".join(vol))
    sent = list(ins.sentiment.items())
    P.append(
        '<section id="sentiment"><h2>Sentiment</h2>'
        + _bars(sent, ins.total, SENTIMENT_COLOURS)
        + "".join(
            f'<div class="muted">{k}</div>{_html_examples(ins, f"sentiment:{k}")}'
            for k, _ in sent
            if _ex(ins, f"sentiment:{k}")
        )
        + "</section>"
    )
    P.append(
        '<section id="sources"><h2>Sources</h2>'
        + _bars(list(ins.sources), ins.total)
        + "</section>"
    )
    for sid, name, items in (
        ("terms", "Top terms", ins.terms),
        ("hashtags", "Top hashtags", ins.hashtags),
    ):
        t = [
            f'<section id="{sid}"><h2>{name} vs the previous period</h2><table><tr><th>term</th>'
            '<th class="n">mentions</th><th class="n">previous</th><th class="n">change</th></tr>'
        ]
        for tc in items:
            c2 = "up" if tc.change > 0 else "down" if tc.change < 0 else ""
            t.append(
                f"<tr><td><bdi>{_h(tc.term, 60)}</bdi></td><td class='n'>{tc.count}</td>"
                f"<td class='n'>{tc.previous}</td><td class='n {c2}'>{_h(_change(tc))}</td></tr>"
            )
        t.append("</table>")
        for tc in items[:3]:
            t.append(
                f'<div class="muted">{_h(tc.term, 60)}</div>'
                + _html_examples(ins, f"term:{tc.term}")
            )
        t.append("</section>")
        P.append("".join(t))
    cl = [
        '<section id="clusters"><h2>Top clusters</h2><table><tr><th class="n">mentions</th>'
        '<th class="n">open</th><th>first mention</th></tr>'
    ]
    for cf in ins.clusters:
        cl.append(
            f"<tr><td class='n'>{cf.count}</td><td class='n'>{cf.open}</td>"
            f"<td><bdi>{_h(cf.text, 160)}</bdi></td></tr>"
        )
    cl.append("</table>")
    for cf in ins.clusters[:3]:
        cl.append(_html_examples(ins, f"cluster:{cf.id}"))
    cl.append("</section>")
    P.append("".join(cl))
    rt = [
        '<section id="response"><h2>Response times</h2><table><tr><th>category</th>'
        '<th class="n">answered</th><th class="n">median</th><th class="n">p90</th>'
        '<th class="n">SLA</th><th class="n">within SLA</th><th class="n">open breaching</th></tr>'
    ]
    for r in list(ins.response) + ([ins.overall] if ins.overall else []):
        sla = _mins(r.sla_minutes) if r.sla_minutes else "–"
        rt.append(
            f"<tr><td>{_h(r.category, 40)}</td><td class='n'>{r.answered}</td>"
            f"<td class='n'>{_mins(r.median_minutes)}</td><td class='n'>{_mins(r.p90_minutes)}</td>"
            f"<td class='n'>{sla}</td><td class='n'>{_pct(r.share_within)}</td>"
            f"<td class='n'>{r.breaching_open}</td></tr>"
        )
    rt.append("</table>")
    if ins.breaching:
        rt.append(f"<p><b>{ins.breaching} open mentions are past their SLA.</b></p>")
        rt.append(_html_examples(ins, "breaching"))
    rt.append("</section>")
    P.append("".join(rt))
    people = ['<div class="grid">']
    for sid, name, key, group in (
        ("fans", "Fans", "fan", ins.fans),
        ("detractors", "Detractors", "detractor", ins.detractors),
        ("influencers", "Influencers", "influencer", ins.influencers),
        ("vips", "VIPs", "vip", ins.vips),
    ):
        t = [
            f'<section id="{sid}"><h2>{name}</h2><table><tr><th>author</th><th class="n">'
            'mentions</th><th class="n">sentiment</th><th class="n">reach</th>'
            '<th class="n">drew</th></tr>'
        ]
        for p in group:
            vip = " ★" if p.vip else ""
            t.append(
                f"<tr><td><bdi>{_h(p.name, 50)}</bdi>{vip}</td><td class='n'>{p.count}</td>"
                f"<td class='n'>{p.mean_sentiment:+.2f}</td><td class='n'>{p.reach}</td>"
                f"<td class='n'>{p.drew}</td></tr>"
            )
        t.append("</table>")
        for p in group[:2]:
            t.append(_html_examples(ins, f"{key}:{p.key}"))
        t.append("</section>")
        people.append("".join(t))
    people.append("</div>")
    P.append("".join(people))
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{_CSS}</style></head><body><main>"
        + "\n".join(P)
        + f"<footer class='muted'>veille · {_h(_period(ins))}</footer></main></body></html>\n"
    )
