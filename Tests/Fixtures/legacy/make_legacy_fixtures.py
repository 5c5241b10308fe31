#!/usr/bin/env python3
"""Builds the legacy-encoding test fixtures from the bundled corpus (CC BY-SA Wikipedia text).

Run from anywhere: python3 Tests/Fixtures/legacy/make_legacy_fixtures.py
Writes, next to this script:
  originals.jsonl              the Unicode documents (id, title, body), real sentences of Corpus/
  tcvn3.jsonl, vni.jsonl       the same documents encoded with the TCVN3 (TCVN 5712:1993 VN3) and
                               VNI-Windows tables, then read as Windows-1252 (mojibake in UTF-8 JSON)
  viqr.jsonl                   the same documents in VIQR (RFC 1456)
  txt/<encoding>-NN.txt        a few of them as raw bytes (title line, then body): not UTF-8
  lookalikes.jsonl             French, German, Spanish, English and code that must stay untouched

The tables are written here from the standards (python3 has no TCVN3 or VNI codec); the TCVN3 one
is checked against glibc's `iconv -f TCVN5712-1` when iconv is available. Deterministic: the same
corpus gives the same bytes.
"""
import json
import os
import random
import shutil
import subprocess
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.join(ROOT, "Corpus", "viwiki-sample.jsonl")
DOCUMENTS_PER_ENCODING = 40
TEXT_FILES_PER_ENCODING = 3

# TCVN 5712:1993 VN3: the letters above 0x7F, by byte (runs of consecutive positions).
TCVN3_RUNS = [
    (0xA1, "ĂÂÊÔƠƯĐăâêôơưđ"),
    (0xB5, "àảãáạ"),
    (0xBB, "ằẳẵắ"),
    (0xC6, "ặầẩẫấậè"),
    (0xCE, "ẻẽéẹềểễếệìỉ"),
    (0xDC, "ĩíịò"),
    (0xE1, "ỏõóọồổỗốộờởỡớợù"),
    (0xF1, "ủũúụừửữứựỳỷỹýỵ"),
]
TCVN3 = {}
for first, letters in TCVN3_RUNS:
    for offset, letter in enumerate(letters):
        TCVN3[letter] = first + offset

TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
MODIFIERS = {"\u0302": "circumflex", "\u0306": "breve", "\u031b": "horn"}

# VNI-Windows mark bytes (lower case; the capital fonts use the upper-case twin, byte - 0x20).
VNI_TONE = {"acute": 0xF9, "grave": 0xF8, "hook": 0xFB, "tilde": 0xF5, "dot": 0xEF}
VNI_CIRCUMFLEX = {None: 0xE2, "acute": 0xE1, "grave": 0xE0, "hook": 0xE5, "tilde": 0xE3, "dot": 0xE4}
VNI_BREVE = {None: 0xEA, "acute": 0xE9, "grave": 0xE8, "hook": 0xFA, "tilde": 0xFC, "dot": 0xEB}
VNI_I = {"acute": 0xED, "grave": 0xEC, "hook": 0xE6, "tilde": 0xF3, "dot": 0xF2}

VIQR_TONE = {"acute": "'", "grave": "`", "hook": "?", "tilde": "~", "dot": "."}
VIQR_MODIFIER = {"circumflex": "^", "breve": "(", "horn": "+"}
VIQR_MARKS = set("'`?~.^(+")


def parts(char):
    """(base ASCII letter, modifier, tone, upper) of a Vietnamese letter, or None."""
    if char in "đĐ":
        return ("d", "stroke", None, char == "Đ")
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if not ("a" <= base.lower() <= "z"):
        return None
    modifier = None
    tone = None
    for mark in decomposed[1:]:
        if mark in MODIFIERS:
            modifier = MODIFIERS[mark]
        elif mark in TONES:
            tone = TONES[mark]
        else:
            return None
    return (base.lower(), modifier, tone, base.isupper())


def tcvn3_bytes(text):
    out = bytearray()
    for char in text:
        if ord(char) < 0x80:
            out.append(ord(char))
        elif char in TCVN3:
            out.append(TCVN3[char])
        elif char.lower() in TCVN3:
            # VN3 has no capitals with tones: documents set them in a capital font on the
            # lower-case positions, which come back lower case.
            out.append(TCVN3[char.lower()])
        else:
            raise ValueError("no TCVN3 byte for %r" % char)
    return bytes(out)


def vni_bytes(text):
    out = bytearray()
    for char in text:
        if ord(char) < 0x80:
            out.append(ord(char))
            continue
        p = parts(char)
        if p is None:
            raise ValueError("no VNI bytes for %r" % char)
        base, modifier, tone, upper = p
        shift = 0x20 if upper else 0
        letter = ord(base.upper() if upper else base)
        if modifier == "stroke":
            out.append(0xF1 - shift)
        elif modifier == "horn":
            out.append((0xF4 if base == "o" else 0xF6) - shift)
            if tone:
                out.append(VNI_TONE[tone] - shift)
        elif modifier == "circumflex":
            out += bytes([letter, VNI_CIRCUMFLEX[tone] - shift])
        elif modifier == "breve":
            out += bytes([letter, VNI_BREVE[tone] - shift])
        elif base == "i" and tone:
            out.append(VNI_I[tone] - shift)
        elif base == "y" and tone == "dot":
            out.append(0xEE - shift)
        elif tone:
            out += bytes([letter, VNI_TONE[tone] - shift])
        else:
            raise ValueError("no VNI bytes for %r" % char)
    return bytes(out)


def viqr(text):
    """RFC 1456: marks after the vowel, modifier first; a literal mark character after a vowel
    (or after a mark) is escaped with a backslash."""
    out = []
    previous_is_vowel = False
    for char in text:
        if ord(char) < 0x80:
            if char in VIQR_MARKS and previous_is_vowel:
                out.append("\\")
            out.append(char)
            previous_is_vowel = char.lower() in "aeiouy"
            continue
        p = parts(char)
        if p is None:
            raise ValueError("no VIQR for %r" % char)
        base, modifier, tone, upper = p
        if modifier == "stroke":
            out.append("DD" if upper else "dd")
            previous_is_vowel = False
            continue
        out.append(base.upper() if upper else base)
        if modifier:
            out.append(VIQR_MODIFIER[modifier])
        if tone:
            out.append(VIQR_TONE[tone])
        previous_is_vowel = True
    return "".join(out)


def encodable(text):
    try:
        tcvn3_bytes(text)
        vni_bytes(text)
        viqr(text)
    except ValueError:
        return False
    return "\\" not in text and all(0x20 <= ord(c) for c in text)


def check_tcvn3_with_iconv():
    iconv = shutil.which("iconv")
    if iconv is None:
        print("iconv not found: the TCVN3 table is not cross-checked")
        return
    for letter, byte in TCVN3.items():
        decoded = subprocess.run(
            [iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]), capture_output=True, check=True
        ).stdout.decode("utf-8")
        if unicodedata.normalize("NFC", decoded) != letter:
            raise SystemExit("TCVN3 table disagrees with iconv at 0x%02X: %r vs %r" % (byte, letter, decoded))
    print("TCVN3 table agrees with iconv TCVN5712-1 on its %d letters" % len(TCVN3))


def sentences(body):
    for paragraph in body.replace("\r", "").split("\n"):
        paragraph = paragraph.strip()
        if not paragraph or paragraph.startswith("=") or paragraph.startswith("*"):
            continue
        for sentence in paragraph.split(". "):
            sentence = sentence.strip()
            if not sentence.endswith("."):
                sentence += "."
            words = sentence.split()
            marked = sum(1 for word in words if any(ord(c) > 0x7F for c in word))
            if 8 <= len(words) <= 40 and marked * 3 >= len(words) and encodable(sentence):
                yield sentence


def pick_documents():
    rng = random.Random(9)
    with open(CORPUS, encoding="utf-8") as corpus:
        lines = corpus.readlines()
    rng.shuffle(lines)
    picked = []
    for line in lines:
        document = json.loads(line)
        title = unicodedata.normalize("NFC", document["title"])
        if not encodable(title):
            continue
        found = list(sentences(unicodedata.normalize("NFC", document["body"])))
        if len(found) < 3:
            continue
        picked.append({"title": title, "body": " ".join(found[:3])})
        if len(picked) == 3 * DOCUMENTS_PER_ENCODING:
            return picked
    raise SystemExit("not enough encodable sentences in " + CORPUS)


LOOKALIKES = [
    ("fr-1", "Café crème", "Un café crème et une tarte aux pommes, s'il vous plaît. Le thé est né à Paris, où il a été créé."),
    ("fr-2", "Hôtel du Nord", "À la carte : crêpes, pâté, côte de bœuf. Noël à l'hôtel, déjà complet ; la fête était très réussie."),
    ("fr-3", "Où est-ce ?", "Où est la gare ? C'est là-bas, près du marché. Ça coûte dix euros, n'est-ce pas ?"),
    ("de-1", "Müller Straße", "Müller Straße 5, 80331 München. Die Bäume im Garten sind schön grün, über die Brücke führt ein Weg."),
    ("de-2", "Größe und Gewicht", "Fünf Männer tragen schwere Säcke. Öl, Käse und Brötchen für das Frühstück; Grüße aus Köln."),
    ("es-1", "Mañana", "¿Qué pasa? Sí, señor, mañana. El niño comió en España; ¡qué día más bonito! Él está aquí."),
    ("pt-1", "São Paulo", "São Paulo não é a capital do Brasil. A informação está na página; você já viu a canção?"),
    ("en-1", "What? Don't!", "What? I don't know, e.g. the U.S. and i.e. a.m. or p.m. Really? Yes I'm sure. So do you?"),
    ("en-2", "Naïve résumé", "A naïve façade, déjà vu: her résumé lists Beyoncé and the Café de Flore. It's 5 o'clock."),
    ("code-1", "x^2 + y^2", "x^2 + y^2 = z^2; a+b; i++ ~/home/user `ls -la` (a) (e) C++ C# U+00E9 0x1F."),
    ("url-1", "Links", "https://vi.wikipedia.org/wiki/Vi%E1%BB%87t_Nam?action=edit&oldid=1 user@example.com www.example.org/a?b=c"),
    ("vi-1", "Cà phê sáng", "Cà phê sáng mà có tôi, tôi là sinh viên. Chúng tôi có nhà ở phố cổ."),
    ("vi-2", "Việt Nam", "Cộng hòa Xã hội chủ nghĩa Việt Nam là một quốc gia ở Đông Nam Á."),
]


def write_jsonl(name, documents):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")


def main():
    check_tcvn3_with_iconv()
    picked = pick_documents()
    encoders = [
        ("tcvn3", lambda text: tcvn3_bytes(text).decode("cp1252"), tcvn3_bytes),
        ("vni", lambda text: vni_bytes(text).decode("cp1252"), vni_bytes),
        ("viqr", viqr, lambda text: viqr(text).encode("ascii")),
    ]
    originals = []
    text_folder = os.path.join(HERE, "txt")
    os.makedirs(text_folder, exist_ok=True)
    for name in os.listdir(text_folder):
        os.remove(os.path.join(text_folder, name))
    for group, (name, to_text, to_bytes) in enumerate(encoders):
        encoded = []
        for n, document in enumerate(picked[group * DOCUMENTS_PER_ENCODING : (group + 1) * DOCUMENTS_PER_ENCODING]):
            identifier = "%s-%02d" % (name, n)
            originals.append({"id": identifier, "title": document["title"], "body": document["body"]})
            encoded.append({"id": identifier, "title": to_text(document["title"]), "body": to_text(document["body"])})
            if n < TEXT_FILES_PER_ENCODING:
                with open(os.path.join(text_folder, identifier + ".txt"), "wb") as out:
                    out.write(to_bytes(document["title"]) + b"\n" + to_bytes(document["body"]) + b"\n")
        write_jsonl(name + ".jsonl", encoded)
    write_jsonl("originals.jsonl", originals)
    write_jsonl("lookalikes.jsonl", [{"id": i, "title": t, "body": b} for i, t, b in LOOKALIKES])
    print("wrote %d documents per encoding, %d look-alikes" % (DOCUMENTS_PER_ENCODING, len(LOOKALIKES)))


if __name__ == "__main__":
    main()
