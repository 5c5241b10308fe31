#!/usr/bin/env python3
"""Type evaluation questions as raw Telex and VNI keystrokes, and score tra's decoding of them.

The questions (a JSONL evaluation set such as ViQuAD dev) are research-use data: everything this
script writes goes to --out, which must be OUTSIDE the repository. Nothing derived from them may be
committed.

Usage (from the repository root):
    python3 Benchmarks/queries/make_typed_queries.py make \\
        --questions ../shared/data/viquad-queries-dev.jsonl --out ../tra-typed
    tra eval --index IDX --queries ../tra-typed/viquad-dev-telex.jsonl        # and -vni, --no-decode
    python3 Benchmarks/queries/make_typed_queries.py score \\
        --tra .build/release/tra --index IDX --out ../tra-typed

`make` writes, per method (telex, vni): viquad-dev-METHOD.jsonl ({"qid","query","relevant"}, the
question typed as that method's keys) and viquad-dev-METHOD-syllables.tsv (qid, typed, original:
one line per typed letter run). Typing follows how people type with the input method off: each run
of letters (a syllable) is typed letter by letter, modifier keys right after their vowel (Telex aa
ee oo aw ow uw dd, VNI 6 7 8 9), the tone key (Telex s f r x j, VNI 1-5) either right after the
vowels or at the end of the syllable (seeded coin, --seed); letters keep their case. Runs without
marks are left as they are.

`score` runs `tra search --json --limit 0` on every typed question (one process each), reads the
"readings" it reports and compares each with the syllable that was typed, comparing tone-free
spelling and tone (so either tone-placement convention counts as the same syllable):
  recall     syllables with marks whose typed form was read as the original syllable
             / syllables with marks;
  precision  readings that equal the original syllable / readings reported (a reading of a
             syllable typed without marks, such as an English word, counts as wrong).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

TONES = {"\u0300": ("f", "2"), "\u0301": ("s", "1"), "\u0309": ("r", "3"), "\u0303": ("x", "4"), "\u0323": ("j", "5")}
VOWELS = set("aeiouyAEIOUY")
LETTER_RUN = re.compile(r"[^\W\d_]+", re.UNICODE)


def type_syllable(run, method, tone_after_vowels):
    """The keys of one run of letters in `method` ("telex" or "vni")."""
    keys = []
    tone = None
    last_vowel_index = -1
    for ch in unicodedata.normalize("NFD", run):
        if ch in TONES:
            tone = TONES[ch][0 if method == "telex" else 1]
        elif ch == "\u0302":  # circumflex
            keys.append(keys[-1] if method == "telex" else "6")
        elif ch == "\u0306":  # breve
            keys.append("w" if method == "telex" else "8")
        elif ch == "\u031b":  # horn
            keys.append("w" if method == "telex" else "7")
        elif ch in "đĐ":
            keys.append(("d" if ch == "đ" else "D") + ("d" if method == "telex" else "9"))
        elif unicodedata.combining(ch):
            keys.append(ch)
        else:
            keys.append(ch)
        if ch in VOWELS or (keys and ch in "\u0302\u0306\u031b"):
            last_vowel_index = len(keys)
    if tone is None:
        return "".join(keys)
    if tone_after_vowels and 0 < last_vowel_index < len(keys):
        return "".join(keys[:last_vowel_index]) + tone + "".join(keys[last_vowel_index:])
    return "".join(keys) + tone


def has_marks(run):
    decomposed = unicodedata.normalize("NFD", run)
    return any(unicodedata.combining(c) for c in decomposed) or "đ" in run.lower()


def spelling(syllable):
    """(tone-free lower-case NFC spelling, tone mark): the same for both tone placements."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = "".join(c for c in decomposed if c in TONES)
    rest = "".join(c for c in decomposed if c not in TONES)
    return unicodedata.normalize("NFC", rest), tone


def make(args):
    out = os.path.abspath(args.out)
    repository = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    if out == repository or out.startswith(repository + os.sep):
        sys.exit("--out must be outside the repository (the questions are research-use data)")
    os.makedirs(out, exist_ok=True)
    questions = [json.loads(line) for line in open(args.questions, encoding="utf-8") if line.strip()]
    for method in ("telex", "vni"):
        rng = random.Random(args.seed)
        with open(os.path.join(out, f"viquad-dev-{method}.jsonl"), "w", encoding="utf-8") as queries, open(
            os.path.join(out, f"viquad-dev-{method}-syllables.tsv"), "w", encoding="utf-8"
        ) as syllables:
            for q in questions:
                text = unicodedata.normalize("NFC", q["query"])
                pieces = []
                position = 0
                for match in LETTER_RUN.finditer(text):
                    pieces.append(text[position : match.start()])
                    run = match.group(0)
                    typed = type_syllable(run, method, rng.random() < 0.5)
                    pieces.append(typed)
                    syllables.write(f"{q['qid']}\t{typed}\t{run}\n")
                    position = match.end()
                pieces.append(text[position:])
                queries.write(
                    json.dumps({"qid": q["qid"], "query": "".join(pieces), "relevant": q["relevant"]}, ensure_ascii=False)
                    + "\n"
                )
        print(f"{out}/viquad-dev-{method}.jsonl: {len(questions)} questions")


def score(args):
    for method in ("telex", "vni"):
        pairs = {}
        for line in open(os.path.join(args.out, f"viquad-dev-{method}-syllables.tsv"), encoding="utf-8"):
            qid, typed, original = line.rstrip("\n").split("\t")
            pairs.setdefault(qid, []).append((typed, original))
        marked = correct_recall = reported = correct_precision = 0
        for line in open(os.path.join(args.out, f"viquad-dev-{method}.jsonl"), encoding="utf-8"):
            q = json.loads(line)
            result = subprocess.run(
                [args.tra, "search", "--index", args.index, "--json", "--limit", "0", q["query"]],
                capture_output=True, text=True, check=True,
            )
            readings = {}
            for reading in json.loads(result.stdout)["readings"]:
                readings.setdefault(reading["typed"], reading["reading"])
            originals = {}
            for typed, original in pairs.get(q["qid"], []):
                originals.setdefault(typed.lower(), original)
                if has_marks(original):
                    marked += 1
                    if typed.lower() in readings and spelling(readings[typed.lower()]) == spelling(original):
                        correct_recall += 1
            for typed, reading in readings.items():
                reported += 1
                original = originals.get(typed)
                if original is not None and has_marks(original) and spelling(reading) == spelling(original):
                    correct_precision += 1
        print(
            f"{method}: syllables with marks {marked}, read back {correct_recall} "
            f"(recall {correct_recall / max(marked, 1):.4f}); readings {reported}, "
            f"right {correct_precision} (precision {correct_precision / max(reported, 1):.4f})"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("--questions", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=7)
    s = sub.add_parser("score")
    s.add_argument("--tra", required=True)
    s.add_argument("--index", required=True)
    s.add_argument("--out", required=True)
    args = parser.parse_args()
    make(args) if args.command == "make" else score(args)


if __name__ == "__main__":
    main()
