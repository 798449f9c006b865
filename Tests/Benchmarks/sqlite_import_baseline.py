#!/usr/bin/env python3
"""Baseline for `descry bench import`: the same rows, imported with Python's sqlite3 the way a
user would script it, in two ways: (a) an FTS5 trigger indexing each row as it is inserted,
(b) plain inserts followed by an FTS5 'rebuild'. Prints one JSON object of measurements."""
import argparse
import json
import os
import resource
import sqlite3
import time

SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE descriptions (
    id INTEGER PRIMARY KEY, dataset TEXT NOT NULL, class INTEGER NOT NULL, kind TEXT NOT NULL,
    attribute_raw TEXT, text TEXT NOT NULL);
CREATE VIRTUAL TABLE descriptions_fts USING fts5(text, content='descriptions', content_rowid='id');
"""
TRIGGER = """
CREATE TRIGGER descriptions_ai AFTER INSERT ON descriptions BEGIN
    INSERT INTO descriptions_fts(rowid, text) VALUES (new.id, new.text);
END;
"""


def peak_rss_mb():
    # VmHWM is this process's own high-water mark; getrusage's ru_maxrss would include the
    # parent's peak, inherited across fork.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cls, kind, attr, text = line.rstrip("\n").split("\t", 3)
            rows.append(("bench", int(cls), kind, attr, text))
    return rows


def run(db_path, rows, with_trigger):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    con = sqlite3.connect(db_path, isolation_level=None)
    con.executescript(SCHEMA + (TRIGGER if with_trigger else ""))
    t0 = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO descriptions(dataset, class, kind, attribute_raw, text) VALUES (?, ?, ?, ?, ?)", rows)
    if not with_trigger:
        con.execute("INSERT INTO descriptions_fts(descriptions_fts) VALUES ('rebuild')")
    con.execute("COMMIT")
    return con, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--query", required=True)
    a = ap.parse_args()
    rows = load(a.rows_file)
    db = os.path.join(a.out, "bench-python.db")
    _, trig = run(db, rows, True)
    con, rebuild = run(db, rows, False)
    t0 = time.perf_counter()
    hits = con.execute(
        "SELECT d.id, d.class, highlight(descriptions_fts, 0, '[', ']') FROM descriptions_fts f "
        "JOIN descriptions d ON d.id = f.rowid WHERE descriptions_fts MATCH ? ORDER BY f.rank LIMIT 20",
        (a.query,)).fetchall()
    search_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    groups = con.execute("SELECT attribute_raw, kind, count(*) FROM descriptions GROUP BY attribute_raw, kind").fetchall()
    group_ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({
        "rows": len(rows),
        "trigger_rows_per_second": len(rows) / trig,
        "rebuild_rows_per_second": len(rows) / rebuild,
        "search_ms": search_ms, "search_hits": len(hits),
        "group_by_ms": group_ms, "groups": len(groups),
        "peak_rss_mb": peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
