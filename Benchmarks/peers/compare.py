#!/usr/bin/env python3
"""Compare tra with tantivy, SQLite FTS5 and Xapian on one corpus, side by side in one run.

For every engine: build an index of the corpus (time, MB/s, index size, peak memory; in
`--build-runs` rounds, each building every engine's index in an order rotated from round to round,
the median time reported and the largest peak memory), run every
query class (latency of each search call, in-process, one thread, top 10), and evaluate retrieval
quality on ViQuAD dev and XQuAD (passages) and on ViQuAD dev moved onto the corpus's articles (see
below), with accented and with diacritic-stripped questions (MRR@10, Recall@10, Recall@100). Latency goes in `--runs` rounds per class: each round runs every engine
once (a warm-up pass, then one timed pass), the engines in an order rotated from round to round,
so that a slow or fast spell of a shared machine falls on every engine alike. Print one table, write
docs/BENCHMARKS.md and docs/benchmarks-latency.png.

Usage, from the repository root (the data folder defaults to ../shared/data beside the checkout):

    bash Benchmarks/peers/setup.sh            # once: a venv with tantivy 0.27 and matplotlib
    Benchmarks/peers/.venv/bin/python Benchmarks/peers/compare.py
    Benchmarks/peers/.venv/bin/python Benchmarks/peers/compare.py --engines tra,fts5 --runs 2 --no-docs

The script builds tra itself (`swift build -c release --product tra`, skip with --no-build) and runs
`.build/release/tra`. Each peer runs in a child process of this script (the same Python), so its
peak memory is its own; tra runs as `tra index`, `tra bench --json --latencies` and `tra eval --json`
(and once more per query class as `tra bench --phases`, for where its time goes).

Engines and their configurations
  tra             `tra index` defaults (2 analysis threads, 256 MB RAM budget); queries through the
                  query language as written (`tra bench`; `--phrase` for the phrase class): ranking
                  with BM25F over title and body, accents matched as typed, unaccented queries
                  matching every accented form; the hits' ids only (no stored fields, no snippets).
  tantivy-exact   PyPI tantivy 0.27. Fields title and body (stored, positions), id (stored, raw),
                  number (u64 fast field: the document's position in the corpus).
                  Tokenizer "default": SimpleTokenizer (splits on characters that are not Unicode
                  alphanumeric; Vietnamese syllables are space-separated, so one token each),
                  RemoveLongFilter(40), LowerCaser (Unicode). Diacritics kept.
  tantivy-proximity  tantivy-exact's configuration (an index of its own, built the same way) and
                  queries, plus, in a query of words (not phrase, not prefix), for each pair of
                  adjacent words a phrase query in title and one in body, boosted by PAIR_BOOST,
                  all optional clauses of one boolean query: proximity as a tantivy or Lucene user
                  adds it, the counterpart of tra's proximity component (words found adjacent and
                  in order). The boost was picked on ViQuAD train (see PAIR_BOOST).
  tantivy-folded  tantivy-exact's chain + AsciiFoldingFilter, registered as a TextAnalyzer with
                  TextAnalyzerBuilder, so it folds at index and query time (every precomposed
                  Vietnamese vowel to ASCII, đ/Đ to d).
                  For all three: documents and queries are NFC-normalized in Python, and Ð/ð (eth, used
                  for Đ in some Wikipedia text) mapped to Đ/đ, because tantivy's tokenizers split NFD
                  text at combining marks and know no Vietnamese. Queries: `parse_query(q, ["title",
                  "body"])` on the lower-cased query with ASCII punctuation escaped (OR of the terms,
                  BM25); phrase: the line in double quotes; prefix: a regex query `prefix.*` on both
                  fields (tantivy's parser has no single-term prefix), the prefix folded for the
                  folded config. Writer defaults (128 MB heap, one thread per core), commit, merges
                  waited for. `searcher.search(query, 10)`, then the hits' ids through the number
                  fast field (`fast_field_values`) and a list of ids saved beside the index (what tra
                  does with its per-segment id table): loading each hit's stored document instead
                  would cost tantivy about 4x its search time here.
  fts5            Python's sqlite3 (the SQLite library version is reported). `fts5(title, body,
                  tokenize='unicode61 remove_diacritics 2')`, a regular (content-storing) table plus
                  a table of ids; one transaction, then 'optimize'. unicode61 folds tones and vowel
                  marks but NOT đ (đ has no Unicode decomposition): "duong" does not find "đường".
                  Same NFC + eth preparation in Python. Queries: every word double-quoted, joined
                  with OR; phrase: the line as one quoted string; prefix: `"abc" *`. Ranked by
                  bm25(t) (k1 = 1.2, b = 0.75), no top-k pruning.
  xapian          Debian python3-xapian (when importable; skipped otherwise). TermGenerator with no
                  stemmer (lower case only, no folding), title then body; the id in value slot 0,
                  title and body as document data (stored, like the others). BM25Weight(1.2, 0, 1,
                  0.75, 0.5). QueryParser with default operator OR and flags 0 (no operator syntax);
                  phrase: FLAG_PHRASE on the quoted line; prefix: FLAG_WILDCARD. Commit, then
                  `compact()` into the final folder.

Every engine is timed around its search call only (query preparation, parsing, top-k and the hits'
external ids; no engine loads stored documents); percentiles are nearest-rank over all timed calls (queries x runs),
as `tra bench` computes them. Quality: top 100 per query; stripped questions have every mark of
U+0300-U+036F removed after NFD and đ/Đ as d/D (tra: `tra eval --strip-diacritics`, the same rule).

The question class comes from the ViQuAD dev questions (research-use data: they are written to
the work folder only, never to the repository). So does the third quality set, "ViQuAD dev
articles": ViQuAD's passages are paragraphs of Wikipedia articles, and each dev question whose
passage comes from an article of the corpus (the same title) gets that whole article as its
relevant document (`make_queries.article_questions`; 1,904 of the 2,285 questions for viwiki.jsonl,
108 articles). It measures ranking where the latency is measured: long articles, which one-paragraph
passages do not show (term frequencies and proximity in documents of thousands of words). Skipped
with --no-article-eval, or when no question's article is in the corpus. Absolute paths of this machine are never written
into docs/BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLASSES = ["single", "multi", "question", "phrase", "prefix", "unaccented"]
CLASS_MODE = {"single": "any", "multi": "any", "question": "any", "phrase": "phrase", "prefix": "prefix",
              "unaccented": "any"}
CLASS_TITLE = {"single": "1 syllable", "multi": "2-3 syllables", "question": "question", "phrase": "phrase",
               "prefix": "prefix", "unaccented": "unaccented"}
ENGINES = ["tra", "tantivy-exact", "tantivy-proximity", "tantivy-folded", "fts5", "xapian"]
# tantivy-proximity's boost of each adjacent pair's phrase clauses: the best MRR@10 on ViQuAD train
# (accented) among 0.25, 0.5, 0.75 and 1 (0.7747, 0.7814, 0.7818, 0.7780; 0.7400 without them).
PAIR_BOOST = 0.75
# The quality set of ViQuAD dev questions moved onto the corpus's articles (see the docstring).
ARTICLE_SET = "ViQuAD dev articles"


# ----------------------------------------------------------------------------- text

def strip_diacritics(text):
    """The rule of `tra eval --strip-diacritics`: đ/Đ/ð/Ð as d/D, NFD, drop U+0300-U+036F, NFC."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F))


def prepare(text):
    """What a careful integrator does before handing Vietnamese text to a peer: NFC, eth as Đ/đ."""
    return unicodedata.normalize("NFC", text).replace("Ð", "Đ").replace("ð", "đ")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f if line.strip()]


def percentile(sorted_values, p):
    """Nearest rank: the value at 1-based rank ceil(p * n / 100) (rank 1 for p = 0)."""
    if not sorted_values:
        return None
    n = len(sorted_values)
    rank = -(-p * n // 100)  # ceil without floating error for integer p
    return sorted_values[min(max(int(rank), 1), n) - 1]


def summarize(latencies):
    values = sorted(latencies)
    mean = sum(values) / len(values)
    return {"count": len(values), "p50_us": percentile(values, 50), "p95_us": percentile(values, 95),
            "p99_us": percentile(values, 99), "mean_us": mean, "qps": 1e6 / mean if mean > 0 else 0}


def directory_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------------- peers (run in a worker)

_ESCAPE = str.maketrans({c: "\\" + c for c in string.punctuation})
# The tokens of tantivy's SimpleTokenizer: runs of Unicode alphanumeric characters.
_WORD = re.compile(r"[^\W_]+")


class Tantivy:
    def __init__(self, folded, pair_boost=None):
        import tantivy
        self.tantivy = tantivy
        self.folded = folded
        self.pair_boost = pair_boost
        self.tokenizer = "vi_folded" if folded else "default"

    def version(self):
        return self.tantivy.__version__

    def _register(self, index):
        if self.folded:
            t = self.tantivy
            index.register_tokenizer("vi_folded", t.TextAnalyzerBuilder(t.Tokenizer.simple())
                                     .filter(t.Filter.remove_long(40)).filter(t.Filter.lowercase())
                                     .filter(t.Filter.ascii_fold()).build())

    def build(self, corpus, directory):
        t = self.tantivy
        builder = t.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
        builder.add_unsigned_field("number", stored=False, indexed=False, fast=True)
        builder.add_text_field("title", stored=True, tokenizer_name=self.tokenizer, index_option="position")
        builder.add_text_field("body", stored=True, tokenizer_name=self.tokenizer, index_option="position")
        index = t.Index(builder.build(), path=directory, reuse=False)
        self._register(index)
        writer = index.writer()
        ids = []
        for o in read_jsonl(corpus):
            d = t.Document()
            d.add_text("id", o["id"])
            d.add_unsigned("number", len(ids))
            d.add_text("title", prepare(o.get("title") or ""))
            d.add_text("body", prepare(o.get("body") or ""))
            writer.add_document(d)
            ids.append(o["id"])
        writer.commit()
        writer.wait_merging_threads()
        with open(os.path.join(directory, "ids.json"), "w", encoding="utf-8") as f:
            json.dump(ids, f)
        return len(ids)

    def open(self, directory):
        t = self.tantivy
        index = t.Index.open(directory)
        self._register(index)
        index.reload()
        searcher = index.searcher()
        schema = index.schema
        folded = self.folded
        pair_boost = self.pair_boost
        with open(os.path.join(directory, "ids.json"), encoding="utf-8") as f:
            ids = json.load(f)

        def search(q, k, mode):
            q = prepare(q)
            if mode == "phrase":
                query = index.parse_query('"' + q.replace('"', " ").replace("\\", " ").strip() + '"', ["title", "body"])
            elif mode == "prefix":
                stem = q.rstrip("*").lower()
                if folded:
                    stem = strip_diacritics(stem)
                pattern = re.escape(stem) + ".*"
                query = t.Query.boolean_query([
                    (t.Occur.Should, t.Query.regex_query(schema, "title", pattern)),
                    (t.Occur.Should, t.Query.regex_query(schema, "body", pattern))])
            else:
                query = index.parse_query(q.lower().translate(_ESCAPE), ["title", "body"])
                if pair_boost is not None:
                    # Proximity as a tantivy (or Lucene) user adds it: each pair of adjacent words
                    # of the query also as a phrase in each field, an optional clause.
                    words = _WORD.findall(q.lower())
                    clauses = [(t.Occur.Should, query)]
                    for pair in zip(words, words[1:]):
                        for field in ("title", "body"):
                            phrase = t.Query.phrase_query(schema, field, list(pair))
                            clauses.append((t.Occur.Should, t.Query.boost_query(phrase, pair_boost)))
                    query = t.Query.boolean_query(clauses)
            hits = searcher.search(query, limit=k, count=False).hits
            return [ids[n] for n in searcher.fast_field_values("number", [address for _, address in hits])]

        return search


class Fts5:
    def __init__(self):
        import sqlite3
        self.sqlite3 = sqlite3

    def version(self):
        return "SQLite " + self.sqlite3.sqlite_version

    def build(self, corpus, directory):
        con = self.sqlite3.connect(os.path.join(directory, "fts.db"))
        con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
        con.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
        con.execute("BEGIN")
        count = 0
        for number, o in enumerate(read_jsonl(corpus), 1):
            con.execute("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)",
                        (number, prepare(o.get("title") or ""), prepare(o.get("body") or "")))
            con.execute("INSERT INTO ids(rowid, id) VALUES (?, ?)", (number, o["id"]))
            count += 1
        con.execute("COMMIT")
        con.execute("INSERT INTO t(t) VALUES('optimize')")
        con.commit()
        con.close()
        return count

    def open(self, directory):
        con = self.sqlite3.connect(os.path.join(directory, "fts.db"))
        sql = ("SELECT ids.id FROM (SELECT rowid AS r, bm25(t) AS s FROM t WHERE t MATCH ? ORDER BY s LIMIT ?) AS m "
               "JOIN ids ON ids.rowid = m.r ORDER BY m.s")

        def quote(word):
            return '"' + word.replace('"', '""') + '"'

        def search(q, k, mode):
            q = prepare(q)
            if mode == "phrase":
                match = quote(q.strip())
            elif mode == "prefix":
                match = quote(q.rstrip("*")) + " *"
            else:
                words = q.split()
                if not words:
                    return []
                match = " OR ".join(quote(w) for w in words)
            return [row[0] for row in con.execute(sql, (match, k))]

        return search


class Xapian:
    BM25 = (1.2, 0.0, 1.0, 0.75, 0.5)

    def __init__(self):
        import xapian
        self.xapian = xapian

    def version(self):
        return "Xapian " + self.xapian.version_string()

    def build(self, corpus, directory):
        x = self.xapian
        staging = directory.rstrip("/") + ".staging"
        shutil.rmtree(staging, ignore_errors=True)
        db = x.WritableDatabase(staging, x.DB_CREATE_OR_OVERWRITE)
        generator = x.TermGenerator()
        count = 0
        for o in read_jsonl(corpus):
            title, body = prepare(o.get("title") or ""), prepare(o.get("body") or "")
            document = x.Document()
            generator.set_document(document)
            generator.index_text(title)
            generator.increase_termpos()
            generator.index_text(body)
            document.add_value(0, o["id"])
            document.set_data(title + "\n" + body)
            db.add_document(document)
            count += 1
        db.commit()
        db.close()
        shutil.rmtree(directory, ignore_errors=True)
        x.Database(staging).compact(directory)
        shutil.rmtree(staging, ignore_errors=True)
        return count

    def open(self, directory):
        x = self.xapian
        db = x.Database(directory)
        parser = x.QueryParser()
        parser.set_database(db)
        enquire = x.Enquire(db)
        enquire.set_weighting_scheme(x.BM25Weight(*self.BM25))

        def search(q, k, mode):
            q = prepare(q)
            if mode == "phrase":
                query = parser.parse_query('"' + q.replace('"', " ").strip() + '"', x.QueryParser.FLAG_PHRASE)
            elif mode == "prefix":
                query = parser.parse_query(q, x.QueryParser.FLAG_WILDCARD)
            else:
                query = parser.parse_query(q, 0)
            enquire.set_query(query)
            return [m.document.get_value(0).decode("utf-8") for m in enquire.get_mset(0, k)]

        return search


def make_peer(name):
    if name == "tantivy-exact":
        return Tantivy(folded=False)
    if name == "tantivy-proximity":
        return Tantivy(folded=False, pair_boost=PAIR_BOOST)
    if name == "tantivy-folded":
        return Tantivy(folded=True)
    if name == "fts5":
        return Fts5()
    if name == "xapian":
        return Xapian()
    raise ValueError(name)


def worker(task):
    """Runs one task of a peer in this (child) process and returns its result as a dict."""
    peer = make_peer(task["engine"])
    if task["task"] == "version":
        return {"version": peer.version()}
    if task["task"] == "build":
        os.makedirs(task["index"], exist_ok=True)
        start = time.perf_counter()
        documents = peer.build(task["corpus"], task["index"])
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "documents": documents, "peak_rss_mb": peak_rss_mb()}
    if task["task"] == "bench":
        search = peer.open(task["index"])
        queries = read_lines(task["queries"])
        mode, k = task["mode"], task["limit"]
        for q in queries:
            search(q, k, mode)
        clock = time.perf_counter_ns
        latencies = []
        zero = 0
        for run in range(task["runs"]):
            for q in queries:
                start = clock()
                hits = search(q, k, mode)
                latencies.append((clock() - start) / 1000.0)
                if run == task["runs"] - 1 and not hits:
                    zero += 1
        return {"latencies": latencies, "zero_hit_queries": zero, "queries": len(queries)}
    if task["task"] == "eval":
        os.makedirs(task["index"], exist_ok=True)
        peer.build(task["docs"], task["index"])
        search = peer.open(task["index"])
        questions = [(o["query"], set(o["relevant"])) for o in read_jsonl(task["queries"])]
        results = {}
        for variant, transform in (("accented", lambda s: s), ("stripped", strip_diacritics)):
            outcomes = [(search(transform(q), 100, "any"), relevant) for q, relevant in questions]
            results[variant] = quality(outcomes)
        return results
    raise ValueError(task["task"])


def quality(outcomes):
    """MRR@10, Recall@10, Recall@100 as `tra eval` defines them."""
    rr = r10 = r100 = 0.0
    for hits, relevant in outcomes:
        for rank, doc in enumerate(hits[:10], 1):
            if doc in relevant:
                rr += 1.0 / rank
                break
        r10 += len(relevant.intersection(hits[:10])) / len(relevant)
        r100 += len(relevant.intersection(hits[:100])) / len(relevant)
    n = max(len(outcomes), 1)
    return {"queries": len(outcomes), "mrr@10": rr / n, "recall@10": r10 / n, "recall@100": r100 / n}


def run_worker(task, timeout=None):
    """Runs `task` in a child Python and returns its result and the child's wall seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(task)],
                          capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{task['engine']} {task['task']} failed:\n{done.stderr.strip()[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), seconds


# ----------------------------------------------------------------------------- tra (through its CLI)

WRAPPER = ("import resource, subprocess, sys, time, json; s = time.perf_counter(); "
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True); "
           "e = time.perf_counter() - s; "
           "print(json.dumps({'status': r.returncode, 'seconds': e, 'stdout': r.stdout, 'stderr': r.stderr, "
           "'peak_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0}))")


def run_measured(command):
    """Runs `command` from a fresh child Python: wall seconds, peak RSS of the command, its output."""
    done = subprocess.run([sys.executable, "-c", WRAPPER] + command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result['status']}: {result['stderr'].strip()[-3000:]}")
    return result


class TraCLI:
    def __init__(self, executable):
        self.executable = executable

    def version(self):
        return subprocess.run([self.executable, "--version"], capture_output=True, text=True).stdout.strip()

    def build(self, corpus, directory):
        result = run_measured([self.executable, "index", "--index", directory, corpus])
        documents = int(re.search(r"indexed ([\d,]+) document", result["stdout"]).group(1).replace(",", ""))
        return {"seconds": result["seconds"], "documents": documents, "peak_rss_mb": result["peak_rss_mb"]}

    def run_bench(self, directory, queries, mode, runs, limit, *extra):
        """`tra bench --json` over `queries` (as phrases for the phrase class), its report parsed."""
        command = [self.executable, "bench", "--index", directory, "--queries", queries, "--runs", str(runs),
                   "--limit", str(limit), "--json", *extra]
        if mode == "phrase":
            command.append("--phrase")
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"tra bench failed: {done.stderr.strip()}")
        return json.loads(done.stdout)

    def bench(self, directory, queries, mode, runs, limit, work):
        latencies_file = os.path.join(work, "tra-latencies.tsv")
        report = self.run_bench(directory, queries, mode, runs, limit, "--latencies", latencies_file)
        latencies, zero, last_run = [], 0, str(runs)
        with open(latencies_file, encoding="utf-8") as f:
            next(f)
            for line in f:
                _, run, micro, matches = line.rstrip("\n").split("\t")
                latencies.append(float(micro))
                if run == last_run and int(matches) == 0:
                    zero += 1
        return {"latencies": latencies, "zero_hit_queries": zero, "queries": report["queries"], "report": report}

    def phases(self, directory, queries, mode, limit):
        """The mean µs of each phase of tra's searches (`tra bench --phases`, one timed pass)."""
        report = self.run_bench(directory, queries, mode, 1, limit, "--phases")
        return {"phases_us": report["phases_us"], "mean_us": report["mean_us"]}

    def eval(self, docs, queries, work):
        directory = os.path.join(work, "tra-eval-" + os.path.basename(docs))
        if not os.path.exists(os.path.join(directory, "manifest")):
            subprocess.run([self.executable, "index", "--index", directory, docs], check=True, capture_output=True)
        results = {}
        for variant, extra in (("accented", []), ("stripped", ["--strip-diacritics"])):
            done = subprocess.run([self.executable, "eval", "--index", directory, "--queries", queries, "--json"]
                                  + extra, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"tra eval failed: {done.stderr.strip()}")
            results[variant] = json.loads(done.stdout)
        return results


# ----------------------------------------------------------------------------- the run

def relative(path):
    """`path` relative to the repository root, for what is written to committed files."""
    return os.path.relpath(os.path.abspath(path), REPO)


def machine():
    def first(path, key):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip()
        except OSError:
            return None
        return None

    memory = first("/proc/meminfo", "MemTotal")
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True)
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count()),
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "ram": f"{int(memory.split()[0]) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "os": ((first("/etc/os-release", "PRETTY_NAME") or platform.system()).strip('"') + ", kernel "
               + platform.release()),
        "swift": (swift.stdout or swift.stderr).strip().splitlines()[0] if (swift.stdout or swift.stderr) else "?",
        "python": platform.python_version(),
    }


def git_revision():
    head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def log(message):
    print(message, file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    data = os.path.join(os.path.dirname(REPO), "shared", "data")
    parser.add_argument("--data", default=data, help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--corpus", help="the corpus to index and query (default: DATA/viwiki.jsonl)")
    parser.add_argument("--queries", default=os.path.join(REPO, "Benchmarks", "queries"),
                        help="folder of PREFIX-<class>.txt query files (default: Benchmarks/queries)")
    parser.add_argument("--query-prefix", default="viwiki")
    parser.add_argument("--questions", help="JSONL set whose questions make the question class "
                                            "(default: DATA/viquad-queries-dev.jsonl; 300 sampled, seed 20171)")
    parser.add_argument("--viquad-docs", help="default: DATA/viquad-docs.jsonl")
    parser.add_argument("--viquad-queries", help="default: DATA/viquad-queries-dev.jsonl")
    parser.add_argument("--xquad-docs", help="default: DATA/xquad-vi-docs.jsonl")
    parser.add_argument("--xquad-queries", help="default: DATA/xquad-vi-queries.jsonl")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of " + ",".join(ENGINES))
    parser.add_argument("--runs", type=int, default=5,
                        help="rounds; each times one pass of every engine over each query file (default 5)")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="rounds of indexing, each building every engine's index once (default 3; the median "
                        "time is reported)")
    parser.add_argument("--limit", type=int, default=10, help="hits per query in the latency runs (default 10)")
    parser.add_argument("--tra", default=os.path.join(REPO, ".build", "release", "tra"))
    parser.add_argument("--no-build", action="store_true", help="do not run `swift build -c release` first")
    parser.add_argument("--no-eval", action="store_true", help="skip the quality evaluation")
    parser.add_argument("--no-article-eval", action="store_true",
                        help="skip the quality set of ViQuAD dev questions on the corpus's articles")
    parser.add_argument("--no-docs", action="store_true", help="print the table only; write no docs/ files")
    parser.add_argument("--markdown", default=os.path.join(REPO, "docs", "BENCHMARKS.md"))
    parser.add_argument("--plot", default=os.path.join(REPO, "docs", "benchmarks-latency.png"))
    parser.add_argument("--results", help="also write every raw figure to this JSON file")
    parser.add_argument("--work", help="work folder (default: a new temporary folder, removed at the end)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    command_line = "Benchmarks/peers/.venv/bin/python Benchmarks/peers/compare.py" + "".join(
        " " + (relative(a) if os.path.exists(a) and os.path.isabs(a) else a) for a in sys.argv[1:])
    corpus = args.corpus or os.path.join(args.data, "viwiki.jsonl")
    questions_source = args.questions or os.path.join(args.data, "viquad-queries-dev.jsonl")
    eval_sets = {
        "ViQuAD dev": (args.viquad_docs or os.path.join(args.data, "viquad-docs.jsonl"),
                       args.viquad_queries or os.path.join(args.data, "viquad-queries-dev.jsonl")),
        "XQuAD": (args.xquad_docs or os.path.join(args.data, "xquad-vi-docs.jsonl"),
                  args.xquad_queries or os.path.join(args.data, "xquad-vi-queries.jsonl")),
    }
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for engine in engines:
        if engine not in ENGINES:
            parser.error(f"unknown engine {engine}; choose among {', '.join(ENGINES)}")
    for path in [corpus, questions_source] + [p for pair in eval_sets.values() for p in pair]:
        if not os.path.exists(path):
            parser.error(f"{path} does not exist (see --data)")

    if not args.no_build:
        log("== swift build -c release --product tra")
        subprocess.run(["swift", "build", "-c", "release", "--product", "tra"], cwd=REPO, check=True)
    tra = TraCLI(args.tra)

    available = []
    versions = {}
    for engine in engines:
        if engine == "tra":
            versions[engine] = tra.version()
            available.append(engine)
            continue
        try:
            versions[engine] = run_worker({"task": "version", "engine": engine})[0]["version"]
            available.append(engine)
        except RuntimeError as error:
            log(f"skipping {engine}: it cannot be loaded ({str(error).strip().splitlines()[-1]})")
            versions[engine] = None

    work = args.work or tempfile.mkdtemp(prefix="tra-compare-")
    os.makedirs(work, exist_ok=True)
    sys.path.insert(0, os.path.join(REPO, "Benchmarks", "queries"))
    import make_queries  # noqa: E402 (the question class, written to the work folder only)

    # ViQuAD dev on the corpus's articles, derived into the work folder (research-use data).
    derived_sets = {}
    if not args.no_eval and not args.no_article_eval:
        viquad_docs, viquad_questions = eval_sets["ViQuAD dev"]
        articles = make_queries.article_questions(viquad_questions, viquad_docs, corpus)
        if articles:
            path = os.path.join(work, "viquad-dev-articles.jsonl")
            make_queries.write_jsonl(path, articles)
            eval_sets[ARTICLE_SET] = (corpus, path)
            derived_sets[ARTICLE_SET] = len(articles)
        else:
            log(f"no ViQuAD dev question has its article in {relative(corpus)}: no article-level quality set")

    query_files = {}
    for name in CLASSES:
        if name == "question":
            path = os.path.join(work, f"{args.query_prefix}-question.txt")
            make_queries.write(path, make_queries.questions(questions_source, 300, 20171))
        else:
            path = os.path.join(args.queries, f"{args.query_prefix}-{name}.txt")
        query_files[name] = path

    build_runs = max(1, args.build_runs)
    results = {"machine": machine(), "versions": versions, "revision": git_revision(),
               "corpus": {"path": relative(corpus), "bytes": os.path.getsize(corpus)},
               "queries": {name: len(read_lines(path)) for name, path in query_files.items()},
               "runs": args.runs, "build_runs": build_runs, "limit": args.limit, "engines": {}, "derived_sets": derived_sets, "started": time.strftime("%Y-%m-%d %H:%M"),
               "load_start": os.getloadavg()}
    try:
        indexes = {engine: os.path.join(work, "index-" + engine) for engine in available}
        # Indexing in rounds too, each building every engine's index anew (the last round's is
        # queried): one build per engine put whatever spell the machine had on one engine alone.
        builds = {engine: [] for engine in available}
        for round_number in range(build_runs):
            shift = round_number % len(available)
            for engine in available[shift:] + available[:shift]:
                index = indexes[engine]
                shutil.rmtree(index, ignore_errors=True)
                log(f"== {engine}: indexing {relative(corpus)} (round {round_number + 1} of {build_runs})")
                if engine == "tra":
                    build = tra.build(corpus, index)
                else:
                    build, _ = run_worker({"task": "build", "engine": engine, "corpus": corpus, "index": index})
                build["index_bytes"] = directory_size(index)
                builds[engine].append(build)
                log(f"   {build['seconds']:.1f} s, {os.path.getsize(corpus) / 1e6 / build['seconds']:.1f} MB/s, "
                    f"{build['index_bytes'] / 1e6:.1f} MB")
        for engine in available:
            entry = results["engines"].setdefault(engine, {})
            runs = builds[engine]
            entry["build"] = dict(runs[-1])
            entry["build"]["seconds_runs"] = [run["seconds"] for run in runs]
            entry["build"]["seconds"] = statistics.median(entry["build"]["seconds_runs"])
            entry["build"]["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
            entry["build"]["mb_per_s"] = os.path.getsize(corpus) / 1e6 / entry["build"]["seconds"]
            entry["classes"] = {}
        # Latency in rounds: each round times one pass of every engine over the class's queries,
        # the engines in a rotated order, so that a slower or faster spell of a shared machine
        # falls on every engine alike instead of on whichever ran then.
        for name in CLASSES:
            mode = CLASS_MODE[name]
            log(f"== {name} ({mode}): {args.runs} rounds of one pass per engine")
            for round_number in range(args.runs):
                shift = round_number % len(available)
                for engine in available[shift:] + available[:shift]:
                    if engine == "tra":
                        bench = tra.bench(indexes[engine], query_files[name], mode, 1, args.limit, work)
                    else:
                        bench, _ = run_worker({"task": "bench", "engine": engine, "index": indexes[engine],
                                               "queries": query_files[name], "mode": mode, "runs": 1,
                                               "limit": args.limit})
                    # tra's own report of each round (the --results JSON keeps them all).
                    reports = [bench.pop("report")] if "report" in bench else []
                    classes = results["engines"][engine]["classes"]
                    if name in classes:
                        classes[name]["latencies"] += bench["latencies"]
                        classes[name]["zero_hit_queries"] = bench["zero_hit_queries"]
                        classes[name]["reports"] += reports
                    else:
                        classes[name] = dict(bench, reports=reports)
            for engine in available:
                bench = results["engines"][engine]["classes"][name]
                bench["summary"] = summarize(bench["latencies"])
                s = bench["summary"]
                log(f"   {engine}: p50 {s['p50_us']:.0f} µs, p99 {s['p99_us']:.0f} µs, "
                    f"{bench['zero_hit_queries']} of {bench['queries']} queries without a hit")
        if "tra" in available:
            # Where tra's time goes, in a pass of its own after the timed rounds (the phases' clock
            # readings stay out of the latencies above).
            log("== tra: time by phase (tra bench --phases)")
            results["engines"]["tra"]["phases"] = {
                name: tra.phases(indexes["tra"], query_files[name], CLASS_MODE[name], args.limit) for name in CLASSES}
        for engine in available:
            shutil.rmtree(indexes[engine], ignore_errors=True)
        for engine in available:
            entry = results["engines"][engine]
            if not args.no_eval:
                entry["eval"] = {}
                for set_name, (docs, questions) in eval_sets.items():
                    log(f"== {engine}: quality on {set_name}")
                    if engine == "tra":
                        entry["eval"][set_name] = tra.eval(docs, questions, work)
                    else:
                        directory = os.path.join(work, f"eval-{engine}")
                        entry["eval"][set_name], _ = run_worker(
                            {"task": "eval", "engine": engine, "docs": docs, "queries": questions,
                             "index": directory})
                        shutil.rmtree(directory, ignore_errors=True)
                    e = entry["eval"][set_name]
                    log(f"   MRR@10 {e['accented']['mrr@10']:.4f} accented, {e['stripped']['mrr@10']:.4f} stripped")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    results["load_end"] = os.getloadavg()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    if args.results:
        with open(args.results, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)

    table = summary_table(results, eval_sets)
    print(table)
    print()
    print("\n".join(ratio_lines(results)))
    if not args.no_docs:
        plot(results, args.plot)
        write_markdown(results, args, command_line, corpus, eval_sets, query_files, table)
        log(f"wrote {relative(args.markdown)} and {relative(args.plot)}")


# ----------------------------------------------------------------------------- reports

def us(value):
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def summary_table(results, eval_sets):
    header = ["engine", "index MB/s", "index MB"] + [f"{CLASS_TITLE[c]} p50 / p99 µs" for c in CLASSES]
    header += [f"{name} MRR@10 acc / stripped" for name in eval_sets]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    for engine, entry in results["engines"].items():
        build = entry["build"]
        row = [engine, f"{build['mb_per_s']:.1f}", f"{build['index_bytes'] / 1e6:.1f}"]
        for name in CLASSES:
            s = entry["classes"][name]["summary"]
            row.append(f"{us(s['p50_us'])} / {us(s['p99_us'])}")
        for name in eval_sets:
            e = entry.get("eval", {}).get(name)
            row.append(f"{e['accented']['mrr@10']:.3f} / {e['stripped']['mrr@10']:.3f}" if e else "n/a")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


PHASES = ["planning", "restoration", "expansion", "setup", "retrieval", "proximity", "explanation", "hits"]


def phase_table(phases):
    """tra's mean µs per phase and query class (`tra bench --phases`), with each phase's share."""
    out = ["Mean µs per search of each phase of tra's searches, per query class, from one more timed pass",
           "(`tra bench --phases`) after the rounds above; the phases' shares of their sum in parentheses.",
           "planning: parsing and analysing the query (question words, Telex/VNI readings); restoration:",
           "the accented reading of words typed without marks; expansion: index terms and idf; setup: the",
           "first stage's cursors; retrieval: the first stage, the top documents by BM25F (MaxScore);",
           "proximity: the proximity window scored with positions; hits: naming the hits (their ids).",
           "",
           "| class | " + " | ".join(name for name in PHASES if name != "explanation") + " | sum | mean latency |",
           "|---|" + "---:|" * (len(PHASES) - 1) + "---:|---:|"]
    for name in CLASSES:
        if name not in phases:
            continue
        values = phases[name]["phases_us"]
        total = sum(values.values())
        cells = [f"{values[p]:.1f} ({100 * values[p] / total:.0f} %)" if total > 0 else f"{values[p]:.1f}"
                 for p in PHASES if p != "explanation"]
        out.append(f"| {CLASS_TITLE[name]} | " + " | ".join(cells) + f" | {total:.1f} | {phases[name]['mean_us']:.1f} |")
    return "\n".join(out)


def detail_tables(results, eval_sets):
    out = ["| engine | build s (median) | build s (each round) | documents | MB/s | index MB | peak RSS MB (largest) |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for engine, entry in results["engines"].items():
        b = entry["build"]
        each = " / ".join(f"{seconds:.2f}" for seconds in b.get("seconds_runs", [b["seconds"]]))
        out.append(f"| {engine} | {b['seconds']:.2f} | {each} | {b['documents']:,} | {b['mb_per_s']:.1f} | "
                   f"{b['index_bytes'] / 1e6:.1f} | {b['peak_rss_mb']:.0f} |")
    out += ["", "| engine | class | p50 µs | p95 µs | p99 µs | mean µs | qps | queries without a hit |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for engine, entry in results["engines"].items():
        for name in CLASSES:
            c = entry["classes"][name]
            s = c["summary"]
            out.append(f"| {engine} | {CLASS_TITLE[name]} | {us(s['p50_us'])} | {us(s['p95_us'])} | "
                       f"{us(s['p99_us'])} | {us(s['mean_us'])} | {s['qps']:,.0f} | "
                       f"{c['zero_hit_queries']} of {c['queries']} |")
    if any("eval" in entry for entry in results["engines"].values()):
        out += ["", "| engine | set | questions | MRR@10 | Recall@10 | Recall@100 | stripped MRR@10 | "
                    "stripped Recall@10 | stripped Recall@100 |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for engine, entry in results["engines"].items():
            for name in eval_sets:
                e = entry.get("eval", {}).get(name)
                if not e:
                    continue
                a, s = e["accented"], e["stripped"]
                out.append(f"| {engine} | {name} | {a['queries']:,} | {a['mrr@10']:.4f} | {a['recall@10']:.4f} | "
                           f"{a['recall@100']:.4f} | {s['mrr@10']:.4f} | {s['recall@10']:.4f} | "
                           f"{s['recall@100']:.4f} |")
    return "\n".join(out)


def ratio_lines(results):
    engines = results["engines"]
    if "tra" not in engines:
        return []
    tra = engines["tra"]
    lines = []
    for engine, entry in engines.items():
        if engine == "tra":
            continue
        speed = tra["build"]["mb_per_s"] / entry["build"]["mb_per_s"]
        size = tra["build"]["index_bytes"] / entry["build"]["index_bytes"]
        parts = [f"indexing {speed:.2f}x the throughput", f"index {size:.2f}x the size"]
        for name in CLASSES:
            peer = entry["classes"][name]["summary"]["p50_us"]
            own = tra["classes"][name]["summary"]["p50_us"]
            ratio = peer / own if own > 0 else float("nan")
            parts.append(f"{CLASS_TITLE[name]} p50 {ratio:.2f}x" + (" (tra faster)" if ratio > 1 else " (tra slower)"))
        for name, e in tra.get("eval", {}).items():
            other = entry.get("eval", {}).get(name)
            if other:
                parts.append(f"{name} MRR@10 {e['accented']['mrr@10'] - other['accented']['mrr@10']:+.3f} accented, "
                             f"{e['stripped']['mrr@10'] - other['stripped']['mrr@10']:+.3f} stripped")
        lines.append(f"tra vs {engine}: " + "; ".join(parts))
    return lines


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    engines = list(results["engines"])
    figure, axes = plt.subplots(2, 3, figsize=(15, 8.5), sharey=True)
    colors = ["#d62728", "#1f77b4", "#ff7f0e", "#17becf", "#2ca02c", "#9467bd"]
    for axis, name in zip(axes.flat, CLASSES):
        data = [results["engines"][e]["classes"][name]["latencies"] for e in engines]
        parts = axis.boxplot(data, whis=(1, 99), showfliers=False, patch_artist=True, medianprops={"color": "black"})
        for patch, color in zip(parts["boxes"], colors):
            patch.set_facecolor(color)
            patch.set_alpha(0.6)
        axis.set_yscale("log")
        axis.set_title(f"{CLASS_TITLE[name]} ({results['queries'][name]} queries)")
        axis.set_xticks(range(1, len(engines) + 1), engines, rotation=25, fontsize=8)
        axis.grid(axis="y", which="both", alpha=0.3)
    for axis in axes[:, 0]:
        axis.set_ylabel("µs per search (log scale)")
    figure.suptitle(f"Query latency per search call on {os.path.basename(results['corpus']['path'])}, top "
                    f"{results['limit']}, one thread, {results['runs']} interleaved rounds of a warm-up and a timed pass "
                    "(box: p25-p75, line: p50, whiskers: p1-p99)")
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path, dpi=110)


def write_markdown(results, args, command_line, corpus, eval_sets, query_files, table):
    m = results["machine"]
    versions = results["versions"]
    documents = results["engines"].get("tra", next(iter(results["engines"].values())))["build"]["documents"]
    lines = [
        "# Benchmarks",
        "",
        "tra against tantivy, SQLite FTS5 and Xapian, measured side by side in one run of",
        "`Benchmarks/peers/compare.py` on one machine. Machines are noisy: compare the engines within this",
        "run (the ratios), not absolute times across runs. Everything below was produced by the command",
        "under [How to reproduce](#how-to-reproduce); the script's docstring gives every engine's exact",
        "configuration. tantivy runs in three: tantivy-exact (diacritics kept), tantivy-proximity (the same, plus a",
        "boosted phrase clause for each pair of adjacent query words: the proximity scoring that tra's ranking has",
        "and plain tantivy lacks) and tantivy-folded (ASCII folding).",
        "",
        "## Summary",
        "",
        f"Latency per search call in µs (p50 / p99), top {results['limit']}, one thread, in-process, "
        f"{results['runs']} rounds, each a warm-up and a timed pass of every engine in turn; index MB/s over the {results['corpus']['bytes'] / 1e6:.1f} MB "
        f"JSONL corpus (parsing included), the median of {results.get('build_runs', 1)} builds in interleaved rounds; MRR@10 with the questions as written / with every diacritic stripped.",
        "",
        table,
        "",
        "tra's ratios to each peer (indexing throughput and index size: tra / peer; latency: peer p50 / tra p50,",
        "above 1 when tra is faster; MRR@10: tra minus peer):",
        "",
    ]
    lines += ["- " + line for line in ratio_lines(results)]
    lines += [
        "",
        f"![Latency per search call, per engine and query class]({os.path.relpath(args.plot, os.path.dirname(args.markdown))})",
        "",
        "## Details",
        "",
        detail_tables(results, eval_sets),
        "",
    ]
    if "phases" in results["engines"].get("tra", {}):
        lines += ["## Where tra's time goes", "", phase_table(results["engines"]["tra"]["phases"]), ""]
    lines += [
        "## Machine",
        "",
        f"- {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['ram']} RAM",
        f"- {m['os']}",
        f"- {m['swift']}; Python {m['python']}",
        f"- tra {versions.get('tra') or 'n/a'} at commit {results['revision']}, built with `swift build -c release`",
    ]
    for engine in ENGINES[1:]:
        if engine in versions:
            lines.append(f"- {engine}: {versions[engine] or 'not installed, skipped'}")
    lines += [
        f"- run from {results['started']} to {results['finished']}; load average "
        f"{results['load_start'][0]:.2f} at the start, {results['load_end'][0]:.2f} at the end "
        "(other jobs shared the machine)",
        "",
        "## Data",
        "",
        f"- Corpus: `{relative(corpus)}`, {documents:,} documents, {results['corpus']['bytes'] / 1e6:.1f} MB of JSONL "
        "(Vietnamese Wikipedia, CC BY-SA; fields id, title, body, source).",
        "- Query classes (one query a line; `Benchmarks/queries/make_queries.py` says how each is drawn):",
    ]
    for name in CLASSES:
        path = query_files[name]
        where = (f"`{relative(path)}`" if name != "question" else
                 "300 ViQuAD dev questions sampled with seed 20171 at run time (research-use data, not committed)")
        lines.append(f"  - {CLASS_TITLE[name]} ({CLASS_MODE[name]} query): {where}, {results['queries'][name]} queries")
    for name, (docs, questions) in eval_sets.items():
        if name == ARTICLE_SET:
            count = results["derived_sets"][name]
            lines.append(f"- Quality, {name}: documents: the corpus; questions: the {count:,} ViQuAD dev questions "
                         "whose passage is a paragraph of an article of the corpus (the same title), each with "
                         "that article as its relevant document (`make_queries.article_questions`, derived at run "
                         "time and not committed: ViQuAD is research-use data; top 100 retrieved).")
            continue
        lines.append(f"- Quality, {name}: documents `{relative(docs)}`, questions `{relative(questions)}` "
                     "(each question with its relevant passage; top 100 retrieved).")
    lines += [
        "",
        "## How to reproduce",
        "",
        "From the repository root, with the team's data in `../shared/data`:",
        "",
        "```sh",
        "bash Benchmarks/peers/setup.sh   # once: Benchmarks/peers/.venv with tantivy 0.27 and matplotlib",
        command_line,
        "```",
        "",
        "What it runs for tra (`$WORK` is a temporary folder):",
        "",
        "```sh",
        "swift build -c release --product tra",
        f".build/release/tra index --index $WORK/index-tra {relative(corpus)}",
        f".build/release/tra bench --index $WORK/index-tra --queries QUERIES.txt --runs {results['runs']} "
        f"--limit {results['limit']} --json --latencies $WORK/tra-latencies.tsv   # --phrase for the phrase class",
        f".build/release/tra bench --index $WORK/index-tra --queries QUERIES.txt --runs 1 --limit {results['limit']} "
        "--json --phases   # after the rounds: time by phase",
    ]
    for name, (docs, questions) in eval_sets.items():
        index = f"$WORK/tra-eval-{os.path.basename(docs)}"
        where = "$WORK/" + os.path.basename(questions) if name in results["derived_sets"] else relative(questions)
        lines.append(f".build/release/tra index --index {index} {relative(docs)}")
        lines.append(f".build/release/tra eval --index {index} --queries {where} --json "
                     "  # and again with --strip-diacritics")
    lines += [
        "```",
        "",
        "The peers run in child processes of the script, with the configurations of its docstring.",
        "",
    ]
    os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
