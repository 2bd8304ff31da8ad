#!/usr/bin/env python3
"""Generate r1.h's Unicode tables from the Unicode Character Database.

usage: tools/gen_unicode.py [UCD_DIR] > tables.txt   (UCD_DIR default /usr/share/unicode,
       Debian package `unicode-data`), then paste between the GENERATED markers in r1.h:
       tools/gen_unicode.py --update r1.h

Tables (all sorted, searched by bisection):
  r1__uc_class:   (first code point << 3) | class, one entry where the class changes.
                  Classes: 0 other, 1 letter (L), 2 number (N), 3 punctuation (P),
                  4 symbol (S), 5 mark (M), 6 White_Space (which wins over its category).
  r1__uc_ccc:     (first << 8) | canonical combining class, one entry per change.
  r1__uc_decomp:  code point, first, second: canonical decompositions (second 0 = singleton).
  r1__uc_comp:    first, second, composite: primary composites (exclusions removed).
Hangul syllables are composed and decomposed algorithmically in r1.h.
"""
import os, sys

def load(ucd):
    cat, ccc, decomp = {}, {}, {}
    with open(os.path.join(ucd, "UnicodeData.txt")) as f:
        rows = [l.split(";") for l in f if l.strip()]
    i = 0
    while i < len(rows):
        r = rows[i]
        cp = int(r[0], 16)
        if r[1].endswith(", First>"):
            end = int(rows[i + 1][0], 16)
            for c in range(cp, end + 1):
                cat[c] = r[2]
            i += 2
            continue
        cat[cp] = r[2]
        if int(r[3]):
            ccc[cp] = int(r[3])
        if r[5] and not r[5].startswith("<"):
            decomp[cp] = [int(x, 16) for x in r[5].split()]
        i += 1
    space = set()
    with open(os.path.join(ucd, "PropList.txt")) as f:
        for l in f:
            l = l.split("#")[0].strip()
            if not l or l.split(";")[1].strip() != "White_Space": # not Pattern_White_Space (adds U+200E, U+200F)
                continue
            rng = l.split(";")[0].strip()
            a, _, b = rng.partition("..")
            for c in range(int(a, 16), int(b or a, 16) + 1):
                space.add(c)
    excl = set()
    with open(os.path.join(ucd, "DerivedNormalizationProps.txt")) as f:
        for l in f:
            l = l.split("#")[0].strip()
            if not l:
                continue
            parts = [p.strip() for p in l.split(";")]
            if parts[1] != "Full_Composition_Exclusion":
                continue
            a, _, b = parts[0].partition("..")
            for c in range(int(a, 16), int(b or a, 16) + 1):
                excl.add(c)
    return cat, ccc, decomp, space, excl

def cls(cat, space, c):
    if c in space:
        return 6
    g = cat.get(c, "Cn")[0]
    return {"L": 1, "N": 2, "P": 3, "S": 4, "M": 5}.get(g, 0)

def run_table(name, bits, value):
    """(first code point << bits) | value, one entry where the value changes."""
    entries, prev = [], None
    for c in range(0x110000):
        k = value(c)
        if k != prev:
            entries.append((c << bits) | k)
            prev = k
    return (["static const uint32_t %s[%d] = {" % (name, len(entries))]
            + wrap(["0x%x" % e for e in entries]) + ["};"])

def generate(ucd):
    cat, ccc, decomp, space, excl = load(ucd)
    out = []
    out += run_table("r1__uc_class", 3, lambda c: cls(cat, space, c))
    out += run_table("r1__uc_ccc", 8, lambda c: ccc.get(c, 0))
    d = sorted(decomp.items())
    out.append("static const uint32_t r1__uc_decomp[%d][3] = {" % len(d))
    out += wrap(["{0x%x,0x%x,0x%x}" % (c, v[0], v[1] if len(v) > 1 else 0) for c, v in d])
    out.append("};")
    comp = sorted((v[0], v[1], c) for c, v in decomp.items() if len(v) == 2 and c not in excl)
    out.append("static const uint32_t r1__uc_comp[%d][3] = {" % len(comp))
    out += wrap(["{0x%x,0x%x,0x%x}" % t for t in comp])
    out.append("};")
    return "\n".join(out) + "\n"

def wrap(items, width=100):
    lines, cur = [], "    "
    for it in items:
        if len(cur) + len(it) + 1 > width:
            lines.append(cur.rstrip())
            cur = "    "
        cur += it + ","
    if cur.strip():
        lines.append(cur)
    return lines

BEGIN = "/* BEGIN GENERATED UNICODE TABLES (tools/gen_unicode.py, Unicode %s) */\n"
END = "/* END GENERATED UNICODE TABLES */\n"

if __name__ == "__main__":
    args = sys.argv[1:]
    ucd = "/usr/share/unicode"
    target = None
    if args and args[0] == "--update":
        target = args[1]
        args = args[2:]
    if args:
        ucd = args[0]
    version = "?"
    try:
        with open(os.path.join(ucd, "ReadMe.txt")) as f:
            import re
            m = re.search(r"Version (\d+\.\d+\.\d+)", f.read())
            version = m.group(1) if m else "?"
    except OSError:
        pass
    tables = generate(ucd)
    if not target:
        sys.stdout.write(tables)
        sys.exit(0)
    src = open(target).read()
    a = src.index("/* BEGIN GENERATED UNICODE TABLES")
    b = src.index(END) + len(END)
    src = src[:a] + (BEGIN % version) + tables + END + src[b:]
    open(target, "w").write(src)
