#!/usr/bin/env python3
"""Writes Sluice's own extraction development set: pages written for the purpose, laid out as WCXB's
(html/ID.html.gz + ground-truth/ID.json), so that tuning on WCXB dev alone cannot overfit.

The pages are what extractors get wrong on news and shop sites: a story followed by thousands of words of teaser
rails, newsletter boxes, contact and legal blocks under neutral or missing class names (no <footer>, no "related");
product pages with a specification table next to carousels of other priced products; listings whose every item
title matters. Deterministic (seeded): run it again and the files are the same.

Usage: python3 bench/devset/generate.py [OUT_DIR]   (default bench/devset/generated)
"""
import gzip
import json
import random
import sys
from pathlib import Path

R = random.Random(20)
TOWNS = ["Harbridge", "Elmswick", "Castleford Vale", "Northam", "Greyport", "Linwood", "Ashcombe", "Redmere"]
SUBJECTS = ["ferry timetable", "school budget", "flood barrier", "library extension", "bus depot", "market hall",
            "wind farm", "hospital car park", "cycle lane", "harbour wall", "recycling centre", "swimming pool"]
VERBS = ["approved", "delayed", "rejected", "reviewed", "funded", "redesigned"]
SENTENCES = [
    "Council officers said the {s} in {t} had been discussed at three public meetings since the spring.",
    "Residents of {t} told the committee that the {s} mattered more to them than any other local decision.",
    "The cost of the {s} has risen by a fifth since the first estimate, largely because of material prices.",
    "Opposition members asked why the {s} had not been put out to tender earlier in the year.",
    "A consultation on the {s} will open next month and run for six weeks, the council confirmed.",
    "Engineers expect work on the {s} to take eighteen months if the weather is kind to them.",
    "Businesses near the {s} said they had been given little notice of the road closures it would need.",
    "The regional transport body has offered to share the cost of the {s} with {t} council.",
]


def paragraph(subject, town, n=3):
    return " ".join(R.choice(SENTENCES).format(s=subject, t=town) for _ in range(n))


def teaser_rail(label, cards, card_class):
    out = [f'<div class="{R.choice(["blk", "zone", "strip", "row-x"])}"><h3>{label}</h3><div class="g">']
    for _ in range(cards):
        s, t, v = R.choice(SUBJECTS), R.choice(TOWNS), R.choice(VERBS)
        out.append(f'<div class="{card_class}"><a href="/news/{R.randrange(10**6)}">{t} {s} {v} after long '
                   f'debate</a><p>{paragraph(s, t, 1)}</p><span>{R.randrange(1, 23)} hours ago</span></div>')
    out.append("</div></div>")
    return "".join(out)


def heavy_footer():
    parts = [teaser_rail(label, R.randrange(8, 13), R.choice(["c", "card-x", "tile", "it"]))
             for label in R.sample(["Most read", "Around the region", "In pictures", "Sport", "Business",
                                    "Opinion", "More from this section"], 5)]
    parts.append('<div class="blk"><h3>Get the morning briefing</h3><p>Every weekday at 7am. Free. '
                 'Unsubscribe any time.</p></div>')
    parts.append('<div class="blk"><p>Contact the newsroom on 555-0100.</p><p>Send us your tips.</p>'
                 '<p>Advertise with us.</p><p>Terms of use. Privacy policy. Cookie settings.</p>'
                 '<p>Copyright 2026 Example Regional Media. All rights reserved.</p></div>')
    return "".join(parts)


def news_page(i):
    town, subject, verb = R.choice(TOWNS), R.choice(SUBJECTS), R.choice(VERBS)
    title = f"{town} {subject} {verb} by council"
    paras = [paragraph(subject, town, R.randrange(2, 5)) for _ in range(R.randrange(5, 10))]
    body = "".join(f"<p>{p}</p>" for p in paras)
    wrap = R.choice(['<div class="txt">{}</div>', '<div>{}</div>', '<section class="s1">{}</section>'])
    html = (f'<!doctype html><html><head><title>{title} | Example Regional</title>'
            f'<meta property="og:type" content="article"></head><body>'
            f'<div class="top"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>'
            f'<div class="wrap"><div class="col"><h1>{title}</h1><p class="by">By Staff Reporter</p>'
            + wrap.format(body) + '</div>' + heavy_footer() + '</div></body></html>')
    truth = title + "\n\nBy Staff Reporter\n\n" + "\n\n".join(paras)
    return html, truth, "article", paras[:2], ["Get the morning briefing", "All rights reserved"]


def product_page(i):
    name = R.choice(["Steel kettle", "Oak desk lamp", "Wool throw", "Glass teapot", "Trail backpack"]) + f" {i}"
    specs = [("Weight", f"{R.randrange(1, 9)}.{R.randrange(10)} kg"), ("Width", f"{R.randrange(20, 90)} cm"),
             ("Material", R.choice(["Steel", "Oak", "Wool", "Glass", "Nylon"])), ("Warranty", "2 years")]
    desc = (f"The {name.lower()} is made to last for years of daily use and is tested in our own workshop before "
            f"it ships. It comes with a care guide and spare parts are kept in stock for ten years.")
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in specs)
    others = "".join(f'<div class="t"><a href="/p/{n}">Other item {n}</a><span>${R.randrange(10, 200)}.00'
                     f'</span></div>' for n in range(R.randrange(5, 9)))
    price = f"${R.randrange(20, 300)}.00"
    html = (f'<!doctype html><html><head><title>{name}</title><script type="application/ld+json">'
            f'{{"@type": "Product", "name": "{name}"}}</script></head><body>'
            f'<div class="top"><a href="/">Shop</a> <a href="/cart">Cart</a></div><div class="pg">'
            f'<h1>{name}</h1><div class="pr">{price}</div><p>{desc}</p><h2>Specifications</h2><table>{table}</table>'
            f'<h3>You may also like</h3><div class="row">{others}</div></div></body></html>')
    truth = "\n\n".join([name, price, desc, "Specifications"] + [f"{k} {v}" for k, v in specs])
    return html, truth, "product", [desc[:60], "Warranty"], ["Other item 2"]


def listing_page(i):
    titles = [f"{R.choice(TOWNS)} {R.choice(SUBJECTS)} {R.choice(VERBS)}" for _ in range(R.randrange(8, 15))]
    summaries = [paragraph("plan", "the town", 1) for _ in titles]
    items = "".join(f'<div class="item"><h2><a href="/posts/{n}">{t}</a></h2><p>{summaries[n]}'
                    f'</p></div>' for n, t in enumerate(titles))
    html = (f'<!doctype html><html><head><title>Latest news</title></head><body>'
            f'<div class="top"><a href="/">Home</a> <a href="/about">About</a></div><h1>Latest news</h1>'
            f'<div class="list">{items}</div><div class="bt"><a href="/page/2">Older posts</a></div></body></html>')
    truth = "Latest news\n\n" + "\n\n".join(f"{t}\n\n{m}" for t, m in zip(titles, summaries))
    return html, truth, "listing", titles[:3], ["Older posts"]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "generated")
    (out / "html").mkdir(parents=True, exist_ok=True)
    (out / "ground-truth").mkdir(parents=True, exist_ok=True)
    makers = [news_page] * 12 + [product_page] * 4 + [listing_page] * 4
    for n, make in enumerate(makers, 1):
        html, truth, kind, with_, without = make(n)
        pid = f"s{n:03d}"
        path = {"article": f"news/local/story-{n}", "product": f"products/item-{n}", "listing": "posts/"}[kind]
        url = f"https://{kind}.example.net/{path}"
        with gzip.GzipFile(out / "html" / f"{pid}.html.gz", "wb", mtime=0) as f:
            f.write(html.encode("utf-8"))
        (out / "ground-truth" / f"{pid}.json").write_text(json.dumps({
            "url": url, "_internal": {"page_type": {"primary": kind}},
            "ground_truth": {"title": None, "main_content": truth, "with": with_, "without": without}},
            indent=1), encoding="utf-8")
    print(f"wrote {len(makers)} pages to {out}")


if __name__ == "__main__":
    main()
