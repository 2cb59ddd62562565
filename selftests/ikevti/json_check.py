#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
# Check JSON from ikevtid/ikevtictl (-j) against the conventions of
# Documentation/json.rst: one object per document (JSON Lines with
# --lines), "schema_version" 1 as its first member, devices as
# "ifname"/"ifindex", ESP SPIs "0x" + 8 hex digits, IKE SPIs "0x" + 16,
# none of the old names. Exit 0 when every document passes; else the
# problems, one a line, and exit 1.
import json
import re
import sys

ESP_SPI = {"spi", "spi_in", "spi_out", "current_outbound_spi"}
IKE_SPI = {"local_spi", "remote_spi", "spi_i", "spi_r"}
OLD = {"dev", "interface", "name", "spi_hex"}


def walk(v, path, errs):
    if isinstance(v, dict):
        for k, x in v.items():
            p = path + "." + k
            if k in OLD:
                errs.append(p + ": old member name")
            if k in ESP_SPI and not (isinstance(x, str) and
                                     re.fullmatch(r"0x[0-9a-f]{8}", x)):
                errs.append(p + ": ESP SPI not \"0x%08x\": " + repr(x))
            if k in IKE_SPI and not (isinstance(x, str) and
                                     re.fullmatch(r"0x[0-9a-f]{16}", x)):
                errs.append(p + ": IKE SPI not \"0x%016x\": " + repr(x))
            if k == "ifname" and not isinstance(x, str):
                errs.append(p + ": ifname not a string")
            if k == "ifindex" and not (isinstance(x, int) and x >= 0):
                errs.append(p + ": ifindex not a number")
            walk(x, p, errs)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, "%s[%d]" % (path, i), errs)


def check(text, where, errs):
    try:
        d = json.loads(text)
    except ValueError as e:
        errs.append("%s: not JSON (%s): %.80s" % (where, e, text))
        return
    if not isinstance(d, dict):
        errs.append(where + ": the document is not an object")
        return
    keys = list(d)
    if not keys or keys[0] != "schema_version" or d["schema_version"] != 1:
        errs.append(where + ": does not start with \"schema_version\": 1")
    walk(d, where, errs)


def main():
    text = sys.stdin.read()
    errs = []
    if "--lines" in sys.argv[1:]:
        lines = [l for l in text.splitlines() if l.strip()]
        if not lines:
            errs.append("no line")
        for i, l in enumerate(lines):
            check(l, "line %d" % (i + 1), errs)
    else:
        check(text, "document", errs)
    for e in errs:
        print(e)
    return 1 if errs else 0


sys.exit(main())
