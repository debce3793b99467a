#!/usr/bin/python3
"""Golden values for pipeline/featurize (TF-IDF), computed with scikit-learn 1.2.1's TfidfVectorizer.

Run:  /usr/bin/python3 scripts/golden/tfidf_sklearn.py
Writes test/fixtures/golden/tfidf-sms.json. Deterministic (no randomness); the TypeScript test reads the fixture and
the dataset file itself, and never needs Python.

The featuriser contract (pipeline/contract.ts, pipeline/featurize/tokenize.ts) in scikit-learn terms:
- preprocessor = NFKC then str.lower()  (passing a preprocessor replaces scikit-learn's own lowercasing);
- token_pattern = r"[a-z0-9]+"  (1-character tokens count; scikit-learn's default would drop them);
- ngram_range (1, 1) or (1, 2), min_df, smooth_idf=True, norm='l2', sublinear_tf as the case says.
max_features is NOT compared: Highway ranks terms by document frequency, scikit-learn by total term count.

Messages: datasets/sms-spam/SMSSpamCollection, one per line, label and text split at the first TAB (the file is
unquoted TSV; see its README), in file order.

Fixture size: the main case keeps its whole vocabulary and idf; the other cases keep the vocabulary's size and
sha256 (terms joined by "\\n", UTF-8), the idf sum and the idf of every 25th term. Transformed rows are sparse
[[column, value], ...] for chosen messages (file order index) and for a few texts that are not in the file.
"""

import hashlib
import json
import os
import unicodedata

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "datasets", "sms-spam", "SMSSpamCollection")
OUT = os.path.join(ROOT, "test", "fixtures", "golden", "tfidf-sms.json")


def preprocess(text):
    return unicodedata.normalize("NFKC", text).lower()


def load_messages():
    with open(DATA, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    messages = []
    for line in lines:
        if line == "":
            continue
        _label, message = line.split("\t", 1)
        messages.append(message)
    return messages


def sparse_rows(matrix):
    rows = []
    for i in range(matrix.shape[0]):
        row = matrix.getrow(i).tocoo()
        rows.append(sorted([int(j), round(float(v), 15)] for j, v in zip(row.col, row.data)))
    return rows


CASES = [
    {"name": "unigrams", "ngrams": 1, "minDf": 1, "sublinearTf": False, "full": True},
    {"name": "bigrams-min-df-3-sublinear", "ngrams": 2, "minDf": 3, "sublinearTf": True, "full": False},
    {"name": "unigrams-min-df-share", "ngrams": 1, "minDf": 0.002, "sublinearTf": False, "full": False},
]

# Rows of the file to transform: the first few, messages whose text NFKC changes ("…" → "..."), non-ASCII
# capitals, the longest message, and the two messages without any token (all-zero rows).
ROWS = [0, 1, 2, 3, 4, 5, 8, 125, 698, 743, 1085, 3376, 4824, 5573]

# Texts that are not in the file: unseen terms are ignored, NFKC folds full-width letters and ligatures, an empty
# text and one without tokens give zero rows, repeated terms exercise tf (and sublinear tf).
EXTRA_TEXTS = [
    "FREE entry!! Call 08452810075 now to claim your £1000 prize",
    "ＦＲＥＥ ﬁnance ﬁnance ﬁnance offer, txt STOP",
    "zzqqxx unseenword",
    "",
    ":-) ;-)",
    "ok ok ok ok ok lor",
]


def main():
    messages = load_messages()
    cases = []
    for case in CASES:
        vectorizer = TfidfVectorizer(
            preprocessor=preprocess,
            token_pattern=r"[a-z0-9]+",
            ngram_range=(1, case["ngrams"]),
            min_df=case["minDf"],
            smooth_idf=True,
            norm="l2",
            sublinear_tf=case["sublinearTf"],
        )
        matrix = vectorizer.fit_transform(messages)
        vocabulary = [str(t) for t in vectorizer.get_feature_names_out()]
        idf = [float(x) for x in vectorizer.idf_]
        out = {
            "name": case["name"],
            "options": {"ngrams": case["ngrams"], "minDf": case["minDf"], "sublinearTf": case["sublinearTf"]},
            "vocabularySize": len(vocabulary),
            "vocabularySha256": hashlib.sha256("\n".join(vocabulary).encode("utf-8")).hexdigest(),
            "idfSum": sum(idf),
            "idfSample": [[i, vocabulary[i], round(idf[i], 12)] for i in range(0, len(vocabulary), 25)],
            "rows": [{"index": i, "values": r} for i, r in zip(ROWS, sparse_rows(matrix[ROWS]))],
            "extra": [{"text": t, "values": r} for t, r in zip(EXTRA_TEXTS, sparse_rows(vectorizer.transform(EXTRA_TEXTS)))],
        }
        if case["full"]:
            out["vocabulary"] = vocabulary
            out["idf"] = [round(x, 12) for x in idf]
        cases.append(out)
    fixture = {
        "generator": "scripts/golden/tfidf_sklearn.py",
        "sklearn": sklearn.__version__,
        "messages": len(messages),
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
