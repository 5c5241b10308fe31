#!/usr/bin/env python3
"""Generate the query sets of the benchmarks, deterministically (seeded), from real text.

Usage (from the repository root):
    python3 Benchmarks/queries/make_queries.py \\
        --corpus ../shared/data/viwiki.jsonl --out Benchmarks/queries \\
        --questions ../shared/data/viquad-queries-dev.jsonl --questions-out ../tra-queries

Classes (one query a line, NFC, PER_CLASS queries each, no duplicates within a class):
  single      one syllable: a token drawn uniformly from the running text of a random article, so
              frequent syllables ("của", "và") come up about as often as they occur, rare ones too.
              Lower case, 2 to 7 letters, Vietnamese alphabet only.
  multi       2-3 syllables, bag of words: half are article titles of 2-3 syllables, half are 2-3
              consecutive syllables of a body (never across punctuation or a line break). At least
              one syllable carries a diacritic, so that `unaccented` differs from it.
  phrase      2-4 consecutive syllables of a body, written without quotes (`tra bench --phrase` and
              the peers' phrase mode make them phrase queries).
  prefix      a syllable of 4+ letters of a body cut to its first 3 to n-1 letters, then "*"
              ("thàn*", "nguy*"): a prefix query.
  unaccented  the `multi` set with every diacritic removed and đ as d (the same rule as
              `tra eval --strip-diacritics`: NFD, drop U+0300-U+036F, đ/Đ/ð/Ð as d/D).
  question    PER_CLASS questions sampled from --questions (a JSONL evaluation set such as the
              ViQuAD dev split), written to --questions-out ONLY: ViQuAD is research-use data and
              nothing derived from it may be committed.

The viwiki files written to --out are derived from Vietnamese Wikipedia text (CC BY-SA; see
Benchmarks/queries/README.md for the attribution). Re-running with the same input and --seed gives
the same files byte for byte.
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata

VIETNAMESE_LETTERS = set(
    "abcdefghijklmnopqrstuvwxyz"
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
# Runs of text between punctuation, digits and line breaks: windows of syllables never cross them.
CHUNK_SPLIT = re.compile(r"[^\w \t]|[\d_]")
CLASSES = ("single", "multi", "phrase", "prefix", "unaccented")


def strip_diacritics(text):
    """Every mark of U+0300-U+036F removed after NFD, đ/Đ (and ð/Ð) as d/D, then NFC."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F))


def is_syllable(word, max_letters=7):
    return 1 <= len(word) <= max_letters and all(c in VIETNAMESE_LETTERS for c in word)


def has_mark(words):
    return any(strip_diacritics(w) != w for w in words)


def chunks(text):
    """Lists of consecutive lower-case words (NFC) between punctuation, digits and line breaks."""
    text = unicodedata.normalize("NFC", text).lower().replace("\r", "\n")
    for line in text.split("\n"):
        for chunk in CHUNK_SPLIT.split(line):
            words = chunk.split()
            if words:
                yield words


def windows(words, low, high):
    """Every run of `low`..`high` consecutive valid syllables of `words`."""
    for size in range(low, high + 1):
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if all(is_syllable(w) for w in window):
                yield window


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


class Picker:
    """Collects up to `count` distinct queries."""

    def __init__(self, count):
        self.count = count
        self.items = []
        self.seen = set()

    @property
    def full(self):
        return len(self.items) >= self.count

    def add(self, query):
        if query and not self.full and query not in self.seen:
            self.seen.add(query)
            self.items.append(query)


def generate(corpus, per_class, seed):
    documents = [(o.get("title") or "", o.get("body") or "") for o in read_jsonl(corpus)]
    rng = random.Random(seed)
    order = list(range(len(documents)))
    rng.shuffle(order)
    single, multi, phrase, prefix = (Picker(per_class) for _ in range(4))
    title_multi = Picker(per_class // 2)
    for index in order:
        title, body = documents[index]
        title_words = unicodedata.normalize("NFC", title).lower().split()
        if 2 <= len(title_words) <= 3 and all(is_syllable(w) for w in title_words) and has_mark(title_words):
            title_multi.add(" ".join(title_words))
        if single.full and multi.full and phrase.full and prefix.full:
            if title_multi.full:
                break
            continue
        doc_chunks = list(chunks(body))
        if not doc_chunks:
            continue
        tokens = [w for words in doc_chunks for w in words if is_syllable(w) and len(w) >= 2]
        if tokens and not single.full:
            single.add(rng.choice(tokens))
        body_windows = [w for words in doc_chunks for w in windows(words, 2, 3) if has_mark(w)]
        if body_windows and not multi.full:
            multi.add(" ".join(rng.choice(body_windows)))
        phrase_windows = [w for words in doc_chunks for w in windows(words, 2, 4) if has_mark(w)]
        if phrase_windows and not phrase.full:
            phrase.add(" ".join(rng.choice(phrase_windows)))
        long_tokens = [w for w in tokens if len(w) >= 4]
        if long_tokens and not prefix.full:
            word = rng.choice(long_tokens)
            prefix.add(word[:rng.randint(3, len(word) - 1)] + "*")
    # Half of `multi` from titles, the rest from bodies (in the order drawn).
    mixed = Picker(per_class)
    for query in title_multi.items + multi.items:
        mixed.add(query)
    unaccented = Picker(per_class)
    for query in mixed.items:
        unaccented.add(strip_diacritics(query))
    return {"single": single.items, "multi": mixed.items, "phrase": phrase.items, "prefix": prefix.items,
            "unaccented": unaccented.items}


def questions(path, count, seed):
    items = [" ".join(unicodedata.normalize("NFC", o["query"]).split()) for o in read_jsonl(path)]
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(items)), min(count, len(items))))
    return [items[i] for i in picked]


def title_key(title):
    """A title compared across datasets: NFC, lower case, '_' as a space, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", title).lower().replace("_", " ").split())


def article_questions(questions_path, passages_path, corpus_path):
    """The questions of an evaluation set of passages (ViQuAD: each question with the passage that
    answers it) moved onto the articles of a corpus: a question whose relevant passage comes from
    an article of the corpus (the same title, compared by `title_key`) gets that article as its
    relevant document; the others are left out. Long articles rather than one-paragraph passages:
    what `tra search` meets on a Wikipedia corpus. Returns {qid, query, relevant} dicts in the set's
    order."""
    articles = {}
    for o in read_jsonl(corpus_path):
        articles.setdefault(title_key(o.get("title") or ""), []).append(o["id"])
    passage_titles = {o["id"]: title_key(o.get("title") or "") for o in read_jsonl(passages_path)}
    result = []
    for o in read_jsonl(questions_path):
        relevant = []
        for passage in o["relevant"]:
            for article in articles.get(passage_titles.get(passage, ""), []):
                if article not in relevant:
                    relevant.append(article)
        if relevant:
            result.append({"qid": o["qid"], "query": o["query"], "relevant": relevant})
    return result


def write_jsonl(path, objects):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for o in objects:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"{path}: {len(objects)} questions", file=sys.stderr)


def write(path, queries):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for query in queries:
            f.write(query + "\n")
    print(f"{path}: {len(queries)} queries", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, help="JSONL articles with title and body (viwiki.jsonl)")
    parser.add_argument("--out", required=True, help="folder for the corpus-derived query files")
    parser.add_argument("--name", default="viwiki", help="file name prefix (default: viwiki)")
    parser.add_argument("--questions", help="JSONL evaluation set whose questions make the question class")
    parser.add_argument("--questions-out", help="folder for the question file (never inside the repository)")
    parser.add_argument("--per-class", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20171)
    args = parser.parse_args()
    sets = generate(args.corpus, args.per_class, args.seed)
    for name in CLASSES:
        write(os.path.join(args.out, f"{args.name}-{name}.txt"), sets[name])
    if args.questions:
        if not args.questions_out:
            parser.error("--questions needs --questions-out (a folder outside the repository)")
        write(os.path.join(args.questions_out, f"{args.name}-question.txt"),
              questions(args.questions, args.per_class, args.seed))


if __name__ == "__main__":
    main()
