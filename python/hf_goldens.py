#!/usr/bin/env python3
"""Hugging Face goldens for the Java reference: tiny random Qwen2 models and their log-probs
under the canonical Multiverse layout.

Run on the GPU machine (its python3 has torch, transformers, tokenizers, safetensors); it needs
no GPU and no network:

    python3 python/hf_goldens.py --out DIR

DIR receives one folder per model, each a complete Hugging Face model directory that the Java
code loads as it is:

    config.json, model.safetensors (or shards + model.safetensors.index.json), tokenizer.json,
    goldens.json   one entry per text: tokens, positions, per-token log-probs and argmax,
                   top-k logits, and the same under plain causal attention.

Everything is computed by Hugging Face code (tokenizers for ids, transformers for logits) with a
4D attention mask and position_ids built by the layout below, which is written from the spec
(section 3) independently of the Java implementation. The script checks itself before writing:
eager and sdpa attention agree (1e-4), and every path of every block scores exactly as the text with
its sibling paths deleted, under plain causal attention (the spec's "each path sees itself as
the only one"; 1e-5, since transformers' eager attention takes its softmax in float32 even for
a float64 model).

Log-probs: logprobs[j] = log p(tokens[j] | what j sees), read from the row of the latest token
before j that j sees (see predecessors()).
"""

import argparse
import json
import math
import os
import random
import shutil

import torch
from multiverse_layout import additive_mask, compatible, layout, predecessors
from multiverse_text import TAGS, chat, train_bpe
from transformers import Qwen2Config, Qwen2ForCausalLM

TOP_K = 4


# ---------------------------------------------------------------- texts

WORDS = ("the a of to and we find sum each part then so first second next value compute add "
         "multiply subtract result check both total answer number step let us think parallel "
         "now this is equal gives which means").split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def arithmetic(rng):
    a, b = rng.randint(0, 999), rng.randint(0, 999)
    op = rng.choice("+-*")
    return f"{a} {op} {b} = {eval(f'{a}{op}{b}')}"


def block(rng, ids_prefix, n_paths, depth, lengths):
    """A <Parallel> block with n_paths paths; path k has lengths[k] sentences; nests to depth."""
    parts = ["Let's think in parallel.\n<Parallel>\n<Goal>\n"]
    ids = [f"{ids_prefix}{k + 1}" for k in range(n_paths)]
    for pid in ids:
        parts.append(f"<Outline>\n{pid}: {words(rng, 3)}\n</Outline>\n")
    parts.append("</Goal>\n")
    for k, pid in enumerate(ids):
        parts.append(f"<Path>\n{pid}: {words(rng, 2)}\n")
        for _ in range(lengths[k]):
            parts.append(f"{arithmetic(rng)}, {words(rng, rng.randint(1, 4))}.\n")
        if depth > 1 and k == 0:
            parts.append(block(rng, pid + ".", 2, depth - 1, [1, 2]))
        parts.append("</Path>\n")
    parts.append(f"<Conclusion>\n{words(rng, 4)} {arithmetic(rng)}\n</Conclusion>\n</Parallel>\n")
    return "".join(parts)


def texts(seed):
    rng = random.Random(seed)
    q = "What is (37 + 48) * (12 - 5)?"
    think = lambda body: chat(q) + "<Think>\n" + body + "</Think>\n\nAnswer: 595<|im_end|>"
    return {
        "no_tags": chat(q) + f"{words(rng, 12)} {arithmetic(rng)}. {words(rng, 10)}<|im_end|>",
        "one_block": think(f"{words(rng, 6)}.\n" + block(rng, "", 2, 1, [1, 3]) + f"{words(rng, 5)}.\n"),
        "nested": think(block(rng, "", 2, 3, [2, 1]) + f"{words(rng, 4)}.\n"),
        "many_paths": think(block(rng, "", 6, 1, [1, 3, 2, 1, 4, 2])),
        "two_blocks": think(block(rng, "", 3, 1, [2, 1, 1]) + f"{words(rng, 3)}.\n"
                            + block(rng, "", 2, 2, [1, 1])),
    }


# ---------------------------------------------------------------- tokenizer and models

def train_tokenizer(seed, vocab_size):
    rng = random.Random(seed)
    corpus = [chat(words(rng, 8)) + block(rng, "", rng.randint(2, 4), rng.randint(1, 3), [2, 2, 2, 2])
              for _ in range(300)]
    corpus += [f"{arithmetic(rng)} {words(rng, 6)}" for _ in range(2000)]
    return train_bpe(corpus, vocab_size)


MODELS = [
    # name, tied, heads, kv heads, head_dim, layers, dtype, shard size, rope theta
    ("tied-h4kv2-f32", True, 4, 2, 16, 2, torch.float32, None, 10000.0),
    ("untied-h4kv4-bf16-sharded", False, 4, 4, 12, 2, torch.bfloat16, "150KB", 1000000.0),
    ("untied-h8kv1-f32-sharded", False, 8, 1, 8, 3, torch.float32, "200KB", 1000000.0),
    ("tied-h2kv1-bf16", True, 2, 1, 32, 2, torch.bfloat16, None, 500.0),
]


def randomize(model, seed):
    """Weights large enough that attention is far from uniform, so the layout matters."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif "q_proj" in name or "k_proj" in name:
                p.copy_(torch.randn(p.shape, generator=g) * (2.0 / math.sqrt(p.shape[1])))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * (1.0 / math.sqrt(p.shape[1])))


def make_model(spec, vocab, eos, out_dir, seed):
    name, tied, heads, kv, head_dim, layers, dtype, shard, theta = spec
    hidden = 48
    config = Qwen2Config(
        vocab_size=vocab, hidden_size=hidden, intermediate_size=88, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=kv, head_dim=head_dim,
        max_position_embeddings=512, rms_norm_eps=1e-6, rope_theta=theta,
        tie_word_embeddings=tied, eos_token_id=eos, bos_token_id=None)
    config.head_dim = head_dim
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    randomize(model, seed)
    model = model.to(dtype)
    kwargs = {"max_shard_size": shard} if shard else {}
    model.save_pretrained(out_dir, **kwargs)
    return out_dir


def load(model_dir, dtype, attn):
    try:
        return Qwen2ForCausalLM.from_pretrained(model_dir, dtype=dtype, attn_implementation=attn).eval()
    except TypeError:
        return Qwen2ForCausalLM.from_pretrained(model_dir, torch_dtype=dtype, attn_implementation=attn).eval()


# ---------------------------------------------------------------- goldens

def log_probs(logits, ids, pred=None):
    """log p(ids[j] | what j sees) = log_softmax(logits[pred[j]])[ids[j]]; None for the first."""
    pred = pred or [None] + list(range(len(ids) - 1))
    lp = torch.log_softmax(logits.double(), dim=-1)
    return [None if k is None else lp[k, ids[j]].item() for j, k in enumerate(pred)]


def run(model, ids, positions, mask):
    with torch.no_grad():
        out = model(input_ids=torch.tensor([ids]), position_ids=torch.tensor([positions]),
                    attention_mask=mask)
    return out.logits[0].double()


def causal(model, ids):
    with torch.no_grad():
        return model(input_ids=torch.tensor([ids])).logits[0].double()


def check_paths_alone(model, ids, positions, span):
    """Each path token scores as in the text with its sibling paths deleted (plain causal).

    For every path chain (a token's span), keep the tokens that are not in a sibling of any path
    on the chain and score the kept text with plain causal attention. A token j of that chain is
    comparable when every kept token up to j has layout position == its index in the kept text
    (then every relative RoPE offset agrees); those must score identically. Returns the largest
    difference and how many tokens were compared.
    """
    worst, compared = 0.0, 0
    lp = log_probs(run(model, ids, positions, additive_mask(span, torch.float64)), ids, predecessors(span))
    for chain in {s for s in span if s}:
        keep = [j for j in range(len(ids)) if compatible(span[j], chain)]
        alone = log_probs(causal(model, [ids[j] for j in keep]), [ids[j] for j in keep])
        for k, j in enumerate(keep):
            if positions[j] != k:
                break
            if span[j] == chain and k > 0:
                worst = max(worst, abs(lp[j] - alone[k]))
                compared += 1
    return worst, compared


def goldens_for(model_dir, tok, tag, text_set):
    print(open(os.path.join(model_dir, "config.json")).read(), flush=True)
    exact = load(model_dir, torch.float64, "eager")
    sdpa = load(model_dir, torch.float64, "sdpa")
    out = []
    for name, text in text_set.items():
        ids = tok.encode(text, add_special_tokens=False).ids
        positions, span = layout(ids, tag)
        mask = additive_mask(span, torch.float64)
        logits = run(exact, ids, positions, mask)
        other = run(sdpa, ids, positions, mask)
        assert torch.allclose(logits, other, atol=1e-4), f"{name}: eager and sdpa disagree"
        pred = predecessors(span)
        lp = log_probs(logits, ids, pred)
        plain = causal(exact, ids)
        plain_lp = log_probs(plain, ids)
        worst, compared = check_paths_alone(exact, ids, positions, span)
        assert worst < 1e-5, f"{name}: a path does not score as if alone (off by {worst})"
        assert compared > 0 or not any(span), f"{name}: no path token could be compared"
        top = torch.topk(logits, TOP_K, dim=-1)
        out.append({
            "name": name,
            "text": text,
            "tokens": ids,
            "positions": positions,
            "predecessors": pred,
            "logprobs": lp,
            "argmax": logits.argmax(-1).tolist(),
            "topk_ids": top.indices.tolist(),
            "topk_logits": [[round(v, 6) for v in row] for row in top.values.tolist()],
            "causal_logprobs": plain_lp,
            "max_abs_layout_vs_causal": max(abs(a - b) for a, b in zip(lp[1:], plain_lp[1:])),
            "path_alone_max_abs": worst,
            "path_alone_compared": compared,
        })
        print(f"  {name}: {len(ids)} tokens, critical path {max(positions) + 1}, "
              f"layout vs causal max |dlogp| {out[-1]['max_abs_layout_vs_causal']:.3f}, "
              f"{compared} path tokens score as if alone (max |d| {worst:.1e})", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--vocab", type=int, default=448)
    args = ap.parse_args()
    torch.set_num_threads(8)
    os.makedirs(args.out, exist_ok=True)
    tok = train_tokenizer(args.seed, args.vocab - 20)
    tag = {t: tok.token_to_id(t) for t in TAGS}
    assert None not in tag.values(), "a tag is missing from the trained tokenizer"
    text_set = texts(args.seed)
    for k, spec in enumerate(MODELS):
        model_dir = os.path.join(args.out, spec[0])
        shutil.rmtree(model_dir, ignore_errors=True)
        print(f"{spec[0]}:", flush=True)
        make_model(spec, args.vocab, tok.token_to_id("<|im_end|>"), model_dir, args.seed + k)
        tok.save(os.path.join(model_dir, "tokenizer.json"))
        cases = goldens_for(model_dir, tok, tag, text_set)
        with open(os.path.join(model_dir, "goldens.json"), "w") as f:
            json.dump({"model": spec[0], "top_k": TOP_K, "generator": "python/hf_goldens.py",
                       "transformers": __import__("transformers").__version__,
                       "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
