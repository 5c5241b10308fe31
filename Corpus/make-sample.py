#!/usr/bin/env python3
"""Rebuild Corpus/viwiki-sample.jsonl from the team's viwiki.jsonl.

Usage:
    python3 make-sample.py PATH/TO/viwiki.jsonl [OUTPUT]

OUTPUT defaults to viwiki-sample.jsonl next to this script.

Selection rule (deterministic, no randomness):
  1. Read viwiki.jsonl in source order, one JSON object per line ('\\n'-terminated).
  2. Keep a line when the UTF-8 length of its decoded "body" string is between
     1,024 and 13,312 bytes inclusive (1 KiB .. 13 KiB).
  3. Of those candidates, keep every 2nd one, starting with the first
     (candidate numbers 0, 2, 4, ...).
  4. Write each kept line exactly as its raw bytes appear in the source,
     including the trailing '\\n'. JSON is parsed only to measure the body;
     nothing is re-encoded, re-normalized or re-serialized.
"""
import json
import os
import sys

MIN_BODY_BYTES = 1024
MAX_BODY_BYTES = 13312
STEP = 2


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    src = argv[1]
    dst = argv[2] if len(argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "viwiki-sample.jsonl")

    candidates = 0
    kept = 0
    size = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for raw in fin:  # binary iteration splits on b'\n' only
            if not raw.strip():
                continue
            body = json.loads(raw.decode("utf-8"))["body"]
            n = len(body.encode("utf-8"))
            if not (MIN_BODY_BYTES <= n <= MAX_BODY_BYTES):
                continue
            if candidates % STEP == 0:
                if not raw.endswith(b"\n"):
                    raw += b"\n"
                fout.write(raw)
                kept += 1
                size += len(raw)
            candidates += 1
    sys.stderr.write("candidates=%d kept=%d bytes=%d -> %s\n"
                     % (candidates, kept, size, dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
