#!/usr/bin/env python3
"""Times hostile queries against an index and prints each one's exit status, wall time and peak
memory (the kinds of query of Tests/TraCLITests/HostileQueryTests.swift, which checks the answers
on a small index in CI).

Usage: scripts/reliability/hostile-queries.py INDEX [TRA]
  INDEX  an index folder, e.g. one built by `tra index --index DIR ../shared/data/viwiki.jsonl`
  TRA    the executable (default: .build/release/tra)
Wall time depends on the machine's load; CPU time (user + system) much less.
Exit status 1 if any query crashed, hung (60 s) or answered outside the contract.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def corpus_words():
    words = []
    with open(os.path.join(ROOT, "Corpus", "xquad-vi-docs.jsonl"), encoding="utf-8") as lines:
        for line in lines:
            words += json.loads(line)["body"].split()
    return words


def cases():
    rng = random.Random(10000)
    words = corpus_words()
    many = [rng.choice(words) for _ in range(10000)]
    t = lambda s: s.encode("utf-8")
    return [
        ("10,000 words", t(" ".join(many))),
        ("10,000 words in one phrase", t('"' + " ".join(many) + '"')),
        ("3,000 required words", t(" ".join("+" + w for w in many[:3000]))),
        ("3,000 excluded words and one", t(" ".join("-" + w for w in many[:3000]) + " nam")),
        ("2,000 prefixes", t(" ".join(w + "*" for w in many[:2000]))),
        ("a*", t("a*")), ("n*", t("n*")), ("t* c* đ*", t("t* c* đ*")),
        ("5,000 quotes", t('"' * 5000 + "việt")),
        ("3,000 unclosed quotes", t(" ".join(['"hà nội'] * 3000))),
        ("an unclosed quote", t('"việt nam')),
        ("5,000 field prefixes", t("title:" * 5000 + "nam")),
        ("signs and stars", t('+-*"' * 5000)),
        ("control characters", t("việt\x01\x07\x08\x1b[31m\x7f\x85\x9bnam\t\r\nhà")),
        ("only control characters", t("\x01\x02\x1b\x7f")),
        ("invalid UTF-8", bytes([0x76, 0x69, 0xFF, 0xFE, 0x74, 0x20, 0x6E, 0x61, 0x6D])),
        ("a lone lead byte", bytes([0xC3])),
        ("an encoded surrogate", bytes([0xED, 0xA0, 0x80, 0x20, 0x68, 0xC3, 0xA0])),
        ("overlong encodings", bytes([0xC0, 0xAF, 0xE0, 0x80, 0xAF, 0xF8, 0x88, 0x80, 0x80, 0x80])),
        ("only very common words", t("và là của các có được những một trong cho")),
        ("a 100,000-letter word", t("x" * 100000)),
        ("30,000 Vietnamese letters", t("ưở" * 15000)),
        ("20,000 combining marks", t("a" + "\u0301\u0323" * 10000)),
        ("30,000 zero-width spaces", t("\u200b" * 30000)),
        ("a 100,000-digit number", t("9" * 100000)),
    ]


def run(tra, index, query):
    """Returns (exit status or None if it hung, wall seconds, CPU seconds, peak KB, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen(
            [tra.encode(), b"search", b"--index", index.encode(), b"--limit", b"10", b"--", query],
            stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        # wait4 on this child alone gives its own peak memory and CPU time.
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > 60:
                process.kill()
                os.wait4(process.pid, 0)
                return None, 60.0, 0.0, 0, b"", b""
            time.sleep(0.002)
        seconds = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return process.returncode, seconds, cpu, usage.ru_maxrss, out.read(), err.read()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    index = sys.argv[1]
    tra = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, ".build", "release", "tra")
    bad = 0
    print(f"{'query':32} {'status':>6} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  first line")
    for name, query in cases():
        code, seconds, cpu, peak_kb, out, err = run(tra, index, query)
        lines = err.decode("utf-8", "replace").splitlines() + out.decode("utf-8", "replace").splitlines()
        first = next((line for line in lines if not line.startswith("tra: note:")), lines[0] if lines else "")
        ok = code == 0 and b"matched" in out or code == 1 and not out and err.count(b"\n") == 1
        bad += 0 if ok else 1
        shown = "hung" if code is None else str(code)
        mark = "" if ok else "  <-- BAD"
        print(f"{name:32} {shown:>6} {seconds:7.3f} {cpu:6.3f} {peak_kb / 1024:8.1f}  {first[:60]}{mark}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
