#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cross-checks of a bpftap object for tests/obj.sh.

objcheck.py btf DUMP.json BTF.json
    Every map of bpftap's JSON dump (-p3 --dump-format=json) is a VAR of
    the '.maps' DATASEC in bpftool's BTF dump (bpftool -j btf dump file)
    whose struct gives the same type, max_entries and key/value sizes.
objcheck.py p3 DUMP.json P3.txt
    The text -p3 and the JSON dump show the same programs with the same
    instructions, and the same maps.
Prints what differs and exits 1, or exits 0.
"""
import json
import re
import sys

MAP_TYPES = {
    "hash": 1, "array": 2, "percpu_hash": 5, "percpu_array": 6,
    "lru_hash": 9, "lru_percpu_hash": 10, "ringbuf": 27,
}


def btf_size(types, tid):
    """Byte size of BTF type tid (0: void)."""
    t = types.get(tid)
    if t is None:
        return 0
    if t["kind"] in ("INT", "STRUCT", "UNION", "ENUM", "ENUM64"):
        return t["size"]
    if t["kind"] == "ARRAY":
        return t["nr_elems"] * btf_size(types, t["type_id"])
    if t["kind"] in ("TYPEDEF", "CONST", "VOLATILE", "RESTRICT"):
        return btf_size(types, t["type_id"])
    if t["kind"] == "PTR":
        return 8
    return 0


def ptr_array_len(types, tid):
    """The N of a __uint(name, N) member: a pointer to int[N]."""
    ptr = types[tid]
    return types[ptr["type_id"]]["nr_elems"]


def check_btf(dump, btf):
    types = {t["id"]: t for t in btf["types"]}
    secs = [t for t in btf["types"]
            if t["kind"] == "DATASEC" and t["name"] == ".maps"]
    if not secs:
        return ["no DATASEC '.maps'"]
    vars_ = {types[v["type_id"]]["name"]: types[v["type_id"]]
             for v in secs[0]["vars"]}
    errs = []
    for m in dump["maps"]:
        var = vars_.get(m["name"])
        if var is None:
            errs.append("map %s: no VAR in .maps" % m["name"])
            continue
        st = types[var["type_id"]]
        got = {}
        for mem in st["members"]:
            if mem["name"] in ("type", "max_entries", "key_size",
                               "value_size", "map_flags"):
                got[mem["name"]] = ptr_array_len(types, mem["type_id"])
            elif mem["name"] in ("key", "value"):
                ptr = types[mem["type_id"]]
                got[mem["name"] + "_size"] = btf_size(types, ptr["type_id"])
        want = {"type": MAP_TYPES.get(m["type"], -1),
                "max_entries": m["max_entries"],
                "key_size": m["key_size"], "value_size": m["value_size"],
                "map_flags": m["flags"]}
        for k, v in want.items():
            if got.get(k, 0) != v:
                errs.append("map %s: %s is %s in BTF, %s in bpftap's dump"
                            % (m["name"], k, got.get(k, 0), v))
    return errs


def check_p3(dump, text):
    errs = []
    progs = {}
    cur = None
    maps = []
    in_maps = False
    for line in text.splitlines():
        m = re.match(r"^(\S+): .*, (\d+) insns$", line)
        if m:
            cur = progs.setdefault(m.group(1), [])
            in_maps = False
            continue
        if line == "maps:":
            cur, in_maps = None, True
            continue
        if in_maps:
            f = line.split()
            if len(f) == 7 and f[0].isdigit():
                maps.append((f[1], f[2], int(f[3]), int(f[4]), int(f[5])))
            elif f and not f[0] == "#":
                in_maps = False
            continue
        m = re.match(r"^ *(\d+): (.*)$", line)
        if cur is not None and m:
            cur.append((int(m.group(1)), m.group(2)))
    for p in dump["programs"]:
        want = [(i["idx"], i["text"]) for i in p["insns"]]
        if progs.get(p["name"]) != want:
            errs.append("program %s: text and JSON instructions differ"
                        % p["name"])
    if len(progs) != len(dump["programs"]):
        errs.append("%d programs in text, %d in JSON"
                    % (len(progs), len(dump["programs"])))
    jmaps = [(m["name"], m["type"], m["key_size"], m["value_size"],
              m["max_entries"]) for m in dump["maps"]]
    if maps != jmaps:
        errs.append("maps differ: text %s, JSON %s" % (maps, jmaps))
    return errs


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("btf", "p3"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[2]) as f:
        dump = json.load(f)
    with open(sys.argv[3]) as f:
        other = f.read()
    if sys.argv[1] == "btf":
        errs = check_btf(dump, json.loads(other))
    else:
        errs = check_p3(dump, other)
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
