#!/usr/bin/env python3
"""Index one JSONL corpus with tra and with tantivy, side by side in one run, and print a table of
build time, throughput, index size and peak memory.

Usage (from the repository root, after `swift build -c release`):
    python3 Benchmarks/peers/compare_indexing.py --corpus ../shared/data/viwiki.jsonl

tantivy comes from PyPI (`pip install tantivy==0.27.0`); the script says so and measures tra alone
when it is missing. Each engine runs in its own child process, so peak memory (max RSS) is its own.

Configurations (the same content for every engine: id, title and body; title and body indexed
with positions AND stored, so sizes compare like for like):
  tra               `tra index` with its defaults (2 analysis threads, 256 MB RAM budget); the time
                    includes reading and parsing the JSONL.
  tantivy-exact     default tokenizer (split on non-alphanumerics, remove_long(40), lowercase):
                    keeps diacritics.
  tantivy-folded    the same + ascii_fold (folds Vietnamese vowels and đ to ASCII).
  For tantivy the documents are parsed (json.loads) and NFC-normalized in Python (tantivy splits
  NFD text at combining marks), then added with tantivy-py's default writer (128 MB heap, one
  indexing thread per core), committed, and merges waited for. The table's time covers all of it,
  as ../shared/bench-peers does; the time of the indexing alone (add_document, commit, merges,
  after parsing) is printed below the table.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata


def directory_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


TANTIVY_CHILD = r'''
import json, sys, time, unicodedata, resource
import tantivy
corpus, index_dir, config = sys.argv[1], sys.argv[2], sys.argv[3]
total_start = time.perf_counter()
docs = []
with open(corpus, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            o = json.loads(line)
            nfc = lambda s: unicodedata.normalize("NFC", s or "")
            docs.append((o["id"], nfc(o.get("title")), nfc(o["body"])))
tok = "default"
sb = tantivy.SchemaBuilder()
sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
if config == "folded":
    tok = "vi_folded"
sb.add_text_field("title", stored=True, tokenizer_name=tok, index_option="position")
sb.add_text_field("body", stored=True, tokenizer_name=tok, index_option="position")
index = tantivy.Index(sb.build(), path=index_dir, reuse=False)
if config == "folded":
    index.register_tokenizer("vi_folded", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold()).build())
start = time.perf_counter()
writer = index.writer()
for i, t, b in docs:
    d = tantivy.Document()
    d.add_text("id", i)
    d.add_text("title", t)
    d.add_text("body", b)
    writer.add_document(d)
writer.commit()
writer.wait_merging_threads()
end = time.perf_counter()
print(json.dumps({"seconds": end - total_start, "index_seconds": end - start}))
'''


def peak_of_child(command):
    """Runs a command in a fresh process and returns its max RSS in MB (GNU time is not needed)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + command, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tra", default=".build/release/tra")
    parser.add_argument("--python", default=sys.executable, help="a Python that has the tantivy package")
    parser.add_argument("--skip-tantivy", action="store_true")
    args = parser.parse_args()
    corpus_mb = os.path.getsize(args.corpus) / 1e6
    work = tempfile.mkdtemp(prefix="tra-peers-")
    rows = []
    index_only = []
    try:
        tra_dir = os.path.join(work, "tra")
        start = time.perf_counter()
        peak = peak_of_child([args.tra, "index", "--index", tra_dir, args.corpus])
        seconds = time.perf_counter() - start
        rows.append(("tra", seconds, directory_size(tra_dir), peak))
        have_tantivy = not args.skip_tantivy and subprocess.run(
            [args.python, "-c", "import tantivy"], capture_output=True).returncode == 0
        if not have_tantivy and not args.skip_tantivy:
            print("tantivy is not installed for", args.python, "(pip install tantivy==0.27.0): measuring tra only",
                  file=sys.stderr)
        if have_tantivy:
            for config in ("exact", "folded"):
                index_dir = os.path.join(work, "tantivy-" + config)
                os.makedirs(index_dir)
                code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], check=True, "
                        "capture_output=True, text=True); print(r.stdout.strip().splitlines()[-1]);"
                        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
                out = subprocess.run([sys.executable, "-c", code, args.python, "-c", TANTIVY_CHILD, args.corpus,
                                      index_dir, config], capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(f"tantivy ({config}) failed: {out.stderr.strip()[-2000:]}")
                lines = out.stdout.strip().splitlines()
                timing = json.loads(lines[-2])
                rows.append(("tantivy-" + config, timing["seconds"], directory_size(index_dir), int(lines[-1]) / 1024.0))
                index_only.append(("tantivy-" + config, timing["index_seconds"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"corpus: {args.corpus} ({corpus_mb:.1f} MB)")
    print(f"| engine | build s | MB/s | index MB | peak RSS MB |")
    print(f"|---|---:|---:|---:|---:|")
    for name, seconds, size, peak in rows:
        print(f"| {name} | {seconds:.2f} | {corpus_mb / seconds:.1f} | {size / 1e6:.1f} | {peak:.0f} |")
    for name, seconds in index_only:
        print(f"{name} without JSON parsing and NFC in Python: {seconds:.2f} s ({corpus_mb / seconds:.1f} MB/s)")
    if len(rows) > 1:
        base = rows[0]
        for name, seconds, size, _ in rows[1:]:
            print(f"tra vs {name}: throughput x{seconds / base[1]:.2f} (x{dict(index_only)[name] / base[1]:.2f} against "
                  f"its indexing alone), index size x{base[2] / size:.2f}")


if __name__ == "__main__":
    main()
