"""Writes the PyTorch fixtures of xner.model's hub tests: tiny random token classifiers saved by torch.save, the
logits PyTorch computes for a fixed input, and a malicious pickle. Run once; the outputs are committed.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 make_fixtures.py     # Debian's python3-torch

transformers is not installable here (no PyPI), so the forward passes are written out below in torch operations,
module by module as transformers' modeling_bert.py and modeling_distilbert.py compute them (eval mode: no dropout).
"""
import json
import math
import os
import pickle

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

# the labels of a CoNLL-2003 model such as dslim/bert-base-NER: not PAN-X's order, so a test sees them kept
LABELS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
WORDS = ["Jeff", "Dean", "ist", "ein", "Informatiker", "bei", "Google", "in", "Kalifornien", "Paris", "und",
         "Berlin", "Anna", "arbeitet", "für", "Siemens", ".", ",", "die", "der", "das", "mit", "aus", "nach", "von"]
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS  # 30 ids
SENTENCES = ["Jeff Dean ist ein Informatiker bei Google in Kalifornien", "Anna arbeitet für Siemens ."]
HIDDEN, LAYERS, HEADS, INTERMEDIATE, POSITIONS = 8, 2, 2, 16, 16


def ids_and_mask():
    rows = [[2] + [VOCAB.index(w) for w in s.split()] + [3] for s in SENTENCES]
    length = max(len(r) for r in rows)
    ids = torch.tensor([r + [0] * (length - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (length - len(r)) for r in rows])
    return ids, mask


def rand(*shape, std=0.5):
    return torch.randn(*shape) * std


def linear(sd, name, out_features, in_features):
    sd[name + ".weight"] = rand(out_features, in_features)
    sd[name + ".bias"] = rand(out_features, std=0.1)


def layer_norm(sd, name, width):
    sd[name + ".weight"] = 1 + rand(width, std=0.1)
    sd[name + ".bias"] = rand(width, std=0.1)


def attention(x, mask, q, k, v, heads):
    """softmax(q·kᵀ/√d with masked keys at finfo.min)·v per head, heads concatenated."""
    b, s, h = x.shape
    d = h // heads
    split = lambda t: t.view(b, s, heads, d).transpose(1, 2)
    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    scores = scores.masked_fill((mask == 0).view(b, 1, 1, s), torch.finfo(scores.dtype).min)
    return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)


def ln(x, sd, name, eps):
    return F.layer_norm(x, (x.shape[-1],), sd[name + ".weight"], sd[name + ".bias"], eps)


def lin(x, sd, name):
    return F.linear(x, sd[name + ".weight"], sd[name + ".bias"])


def bert():
    """BertForTokenClassification: BertEmbeddings, BertLayer × 2 (BertSelfAttention, BertSelfOutput, BertIntermediate,
    BertOutput), dropout, classifier."""
    torch.manual_seed(24)
    sd = {}
    p = "bert.embeddings."
    sd[p + "word_embeddings.weight"] = rand(len(VOCAB), HIDDEN)
    sd[p + "position_embeddings.weight"] = rand(POSITIONS, HIDDEN)
    sd[p + "token_type_embeddings.weight"] = rand(2, HIDDEN)
    layer_norm(sd, p + "LayerNorm", HIDDEN)
    for i in range(LAYERS):
        p = f"bert.encoder.layer.{i}."
        for m in ("query", "key", "value"):
            linear(sd, p + "attention.self." + m, HIDDEN, HIDDEN)
        linear(sd, p + "attention.output.dense", HIDDEN, HIDDEN)
        layer_norm(sd, p + "attention.output.LayerNorm", HIDDEN)
        linear(sd, p + "intermediate.dense", INTERMEDIATE, HIDDEN)
        linear(sd, p + "output.dense", HIDDEN, INTERMEDIATE)
        layer_norm(sd, p + "output.LayerNorm", HIDDEN)
    linear(sd, "classifier", len(LABELS), HIDDEN)
    # what a real file holds beyond the model: a pooler (unused by token classification) and the position_ids
    # buffer older transformers saved (int64)
    linear(sd, "bert.pooler.dense", HIDDEN, HIDDEN)
    sd["bert.embeddings.position_ids"] = torch.arange(POSITIONS).unsqueeze(0)
    # storage layouts the reader must handle: a transposed (non-contiguous) view, a half-precision tensor, two
    # tensors sharing one storage
    sd["classifier.weight"] = sd["classifier.weight"].t().contiguous().t()
    sd["bert.embeddings.token_type_embeddings.weight"] = sd["bert.embeddings.token_type_embeddings.weight"].half()
    both = torch.cat([sd["bert.encoder.layer.0.attention.self.query.bias"], sd["bert.encoder.layer.0.attention.self.key.bias"]])
    sd["bert.encoder.layer.0.attention.self.query.bias"] = both[:HIDDEN]
    sd["bert.encoder.layer.0.attention.self.key.bias"] = both[HIDDEN:]

    w = {k: v.float() for k, v in sd.items()}
    ids, mask = ids_and_mask()
    eps = 1e-12
    x = (w["bert.embeddings.word_embeddings.weight"][ids] + w["bert.embeddings.position_embeddings.weight"][:ids.shape[1]]
         + w["bert.embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
    x = ln(x, w, "bert.embeddings.LayerNorm", eps)
    for i in range(LAYERS):
        p = f"bert.encoder.layer.{i}."
        a = attention(x, mask, lin(x, w, p + "attention.self.query"), lin(x, w, p + "attention.self.key"),
                      lin(x, w, p + "attention.self.value"), HEADS)
        x = ln(lin(a, w, p + "attention.output.dense") + x, w, p + "attention.output.LayerNorm", eps)
        h = F.gelu(lin(x, w, p + "intermediate.dense"))
        x = ln(lin(h, w, p + "output.dense") + x, w, p + "output.LayerNorm", eps)
    logits = lin(x, w, "classifier")
    # the tensors stored in unusual layouts, as PyTorch reads them back: a test compares them value for value
    checked = {k: w[k].flatten().tolist() for k in ("classifier.weight", "bert.embeddings.token_type_embeddings.weight",
                                                     "bert.encoder.layer.0.attention.self.key.bias")}
    config = {
        "architectures": ["BertForTokenClassification"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "hidden_size": HIDDEN, "initializer_range": 0.02, "intermediate_size": INTERMEDIATE,
        "layer_norm_eps": eps, "max_position_embeddings": POSITIONS, "model_type": "bert",
        "num_attention_heads": HEADS, "num_hidden_layers": LAYERS, "pad_token_id": 0,
        "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": len(VOCAB)}
    return sd, config, ids, mask, logits, checked


def distilbert():
    """DistilBertForTokenClassification: Embeddings (words + positions, LayerNorm), TransformerBlock × 2
    (MultiHeadSelfAttention with q_lin/k_lin/v_lin/out_lin, sa_layer_norm, FFN lin1/lin2, output_layer_norm),
    dropout, classifier. DistilBERT's LayerNorms have eps 1e-12 whatever the config says."""
    torch.manual_seed(25)
    sd = {}
    p = "distilbert.embeddings."
    sd[p + "word_embeddings.weight"] = rand(len(VOCAB), HIDDEN)
    sd[p + "position_embeddings.weight"] = rand(POSITIONS, HIDDEN)
    layer_norm(sd, p + "LayerNorm", HIDDEN)
    for i in range(LAYERS):
        p = f"distilbert.transformer.layer.{i}."
        for m in ("q_lin", "k_lin", "v_lin", "out_lin"):
            linear(sd, p + "attention." + m, HIDDEN, HIDDEN)
        layer_norm(sd, p + "sa_layer_norm", HIDDEN)
        linear(sd, p + "ffn.lin1", INTERMEDIATE, HIDDEN)
        linear(sd, p + "ffn.lin2", HIDDEN, INTERMEDIATE)
        layer_norm(sd, p + "output_layer_norm", HIDDEN)
    linear(sd, "classifier", len(LABELS), HIDDEN)

    ids, mask = ids_and_mask()
    eps = 1e-12
    x = sd["distilbert.embeddings.word_embeddings.weight"][ids] + sd["distilbert.embeddings.position_embeddings.weight"][:ids.shape[1]]
    x = ln(x, sd, "distilbert.embeddings.LayerNorm", eps)
    for i in range(LAYERS):
        p = f"distilbert.transformer.layer.{i}."
        # MultiHeadSelfAttention divides q by √d before the product; the same up to rounding
        b, s, h = x.shape
        d = h // HEADS
        split = lambda t: t.view(b, s, HEADS, d).transpose(1, 2)
        q = split(lin(x, sd, p + "attention.q_lin")) / math.sqrt(d)
        k = split(lin(x, sd, p + "attention.k_lin"))
        v = split(lin(x, sd, p + "attention.v_lin"))
        scores = (q @ k.transpose(2, 3)).masked_fill((mask == 0).view(b, 1, 1, s), torch.finfo(torch.float32).min)
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)
        sa = ln(lin(context, sd, p + "attention.out_lin") + x, sd, p + "sa_layer_norm", eps)
        ffn = lin(F.gelu(lin(sa, sd, p + "ffn.lin1")), sd, p + "ffn.lin2")
        x = ln(ffn + sa, sd, p + "output_layer_norm", eps)
    logits = lin(x, sd, "classifier")
    config = {
        "activation": "gelu", "architectures": ["DistilBertForTokenClassification"], "attention_dropout": 0.1,
        "dim": HIDDEN, "dropout": 0.1, "hidden_dim": INTERMEDIATE, "initializer_range": 0.02,
        "max_position_embeddings": POSITIONS, "model_type": "distilbert", "n_heads": HEADS, "n_layers": LAYERS,
        "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": False,
        "tie_weights_": True, "vocab_size": len(VOCAB)}
    return sd, config, ids, mask, logits, {}


def distilbert_mlm():
    """DistilBertForMaskedLM on the body of distilbert(): vocab_transform → activation → vocab_layer_norm (eps 1e-12)
    → vocab_projector, whose weight is the word-embedding table (tied: one storage in the file)."""
    sd, config, ids, mask, _, _ = distilbert()
    sd = {k: v for k, v in sd.items() if not k.startswith("classifier")}
    torch.manual_seed(26)
    linear(sd, "vocab_transform", HIDDEN, HIDDEN)
    layer_norm(sd, "vocab_layer_norm", HIDDEN)
    sd["vocab_projector.weight"] = sd["distilbert.embeddings.word_embeddings.weight"]
    sd["vocab_projector.bias"] = rand(len(VOCAB), std=0.1)
    eps = 1e-12
    x = sd["distilbert.embeddings.word_embeddings.weight"][ids] + sd["distilbert.embeddings.position_embeddings.weight"][:ids.shape[1]]
    x = ln(x, sd, "distilbert.embeddings.LayerNorm", eps)
    for i in range(LAYERS):
        p = f"distilbert.transformer.layer.{i}."
        b, s, h = x.shape
        d = h // HEADS
        split = lambda t: t.view(b, s, HEADS, d).transpose(1, 2)
        q = split(lin(x, sd, p + "attention.q_lin")) / math.sqrt(d)
        k = split(lin(x, sd, p + "attention.k_lin"))
        v = split(lin(x, sd, p + "attention.v_lin"))
        scores = (q @ k.transpose(2, 3)).masked_fill((mask == 0).view(b, 1, 1, s), torch.finfo(torch.float32).min)
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, h)
        sa = ln(lin(context, sd, p + "attention.out_lin") + x, sd, p + "sa_layer_norm", eps)
        x = ln(lin(F.gelu(lin(sa, sd, p + "ffn.lin1")), sd, p + "ffn.lin2") + sa, sd, p + "output_layer_norm", eps)
    h = ln(F.gelu(lin(x, sd, "vocab_transform")), sd, "vocab_layer_norm", eps)
    logits = lin(h, sd, "vocab_projector")
    config = dict(config, architectures=["DistilBertForMaskedLM"])
    return sd, config, ids, mask, logits, {}


def write(name, sd, config, ids, mask, logits, checked, labels=True):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    if labels:
        config = dict(config, id2label={str(i): l for i, l in enumerate(LABELS)}, label2id={l: i for i, l in enumerate(LABELS)})
    config = dict(config, transformers_version="4.44.2 (not used: written by make_fixtures.py)")
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": False, "model_max_length": POSITIONS, "tokenizer_class": "BertTokenizer"}, f, indent=2)
    torch.save(sd, os.path.join(folder, "pytorch_model.bin"))
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"torch": torch.__version__, "sentences": SENTENCES, "input_ids": ids.tolist(),
                   "attention_mask": mask.tolist(), "logits": logits.tolist(), "tensors": checked}, f)
    return folder


class RunsAShellCommand:
    """What a hostile checkpoint holds: unpickling it in Python calls os.system."""

    def __reduce__(self):
        return os.system, ("touch /tmp/xner-was-attacked",)


if __name__ == "__main__":
    with torch.no_grad():
        folder = write("tiny-bert", *bert())
        sd = torch.load(os.path.join(folder, "pytorch_model.bin"))
        # the same state dict in the format before PyTorch 1.6, which old hub models still have
        torch.save(sd, os.path.join(HERE, "tiny-bert-legacy.bin"), _use_new_zipfile_serialization=False)
        write("tiny-distilbert", *distilbert())
        write("tiny-distilbert-mlm", *distilbert_mlm(), labels=False)
    # torch.save pickles the object as it pickles tensors: the file is a well-formed PyTorch zip
    torch.save({"classifier.weight": torch.zeros(2, 2), "payload": RunsAShellCommand()}, os.path.join(HERE, "malicious.bin"))
    print("torch", torch.__version__)
