#!/usr/bin/env python3
"""Trains the small Multiverse model that ships with the project (the default model).

Data: arith_data.py's problems, solved in the Multiverse grammar (nesting included).
Model: a Qwen2-architecture transformer of a few million parameters with a byte-level BPE trained
on the same data; trained under the canonical Multiverse Attention (a 4D mask and position ids
from multiverse_layout.py), with the loss on the response tokens only.

Run on the GPU machine (no network needed):

    python3 python/train_small.py --out DIR --minutes 7

DIR receives a Hugging Face model directory (config.json, model.safetensors in bf16,
tokenizer.json, generation_config.json), heldout.jsonl (the 500 held-out problems with their
answers, never trained on) and train_log.json (settings, loss curve, held-out figures).
`--init DIR` continues training an earlier run's model with its tokenizer. Generation itself is
judged by the Java engine: `./multiverse eval --model DIR --problems DIR/heldout.jsonl`.
"""

import argparse
import json
import math
import os
import random
import time
from multiprocessing import Pool

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import Qwen2Config, Qwen2ForCausalLM

try:  # SDPA's memory-efficient kernel takes a mask but not enable_gqa: let transformers repeat K/V.
    import transformers.integrations.sdpa_attention as _sdpa
    _sdpa.use_gqa_in_sdpa = lambda *args, **kwargs: False
except (ImportError, AttributeError):
    pass

import arith_data
from multiverse_layout import layout
from multiverse_text import TAGS, chat, train_bpe

MAX_DEPTH = 3   # nesting levels the mask builder handles (the data nests to depth 2)


def problems(seed, count, exclude=frozenset()):
    """(question, response, answer) triples; questions in `exclude` are skipped."""
    rng, out, seen = random.Random(seed), [], set(exclude)
    while len(out) < count:
        parts, ops = arith_data.problem(rng)
        q, r, a = arith_data.solve(parts, ops)
        if q not in seen:
            seen.add(q)
            out.append((q, r, a))
    return out


# ------------------------------------------------------------------ layout as tensors

def span_arrays(args):
    """Per token: position, and for each nesting level its (block id, path index) or -1."""
    ids, tag = args
    positions, span = layout(ids, tag)
    blocks = [[-1] * len(ids) for _ in range(MAX_DEPTH)]
    paths = [[-1] * len(ids) for _ in range(MAX_DEPTH)]
    for i, chain in enumerate(span):
        assert len(chain) <= MAX_DEPTH, "nesting deeper than MAX_DEPTH"
        for d, (b, p) in enumerate(chain):
            blocks[d][i], paths[d][i] = b, p
    return positions, blocks, paths


def layout_mask(blocks, paths, lengths):
    """Bool [B, 1, T, T]: query i sees key j iff j <= i and no block holds i and j in two
    different paths. blocks, paths: long [B, D, T] (-1 outside). Padding rows see themselves."""
    T = blocks.shape[-1]
    causal = torch.ones(T, T, dtype=torch.bool, device=blocks.device).tril()
    same_block = (blocks[:, :, :, None] == blocks[:, :, None, :]) & (blocks[:, :, :, None] >= 0)
    other_path = paths[:, :, :, None] != paths[:, :, None, :]
    conflict = (same_block & other_path).any(dim=1)
    allowed = causal[None] & ~conflict
    pad = torch.arange(T, device=blocks.device)[None, :] >= lengths[:, None]     # [B, T]
    allowed = allowed & ~pad[:, None, :]                                         # no pad keys
    allowed = allowed | torch.diag_embed(pad)                                    # pad rows: self
    return allowed[:, None]


# ------------------------------------------------------------------ data

class Dataset:
    """Tokenised examples with their layouts, batched by similar length."""

    def __init__(self, tok, tag, triples, workers):
        prompts = tok.encode_batch([chat(q) for q, _, _ in triples], add_special_tokens=False)
        responses = tok.encode_batch([r + "<|im_end|>" for _, r, _ in triples], add_special_tokens=False)
        self.ids = [p.ids + r.ids for p, r in zip(prompts, responses)]
        self.prompt_len = [len(p.ids) for p in prompts]
        with Pool(workers) as pool:
            self.spans = pool.map(span_arrays, [(ids, tag) for ids in self.ids], chunksize=256)

    def batches(self, tokens_per_batch, rng):
        """Index lists of about tokens_per_batch (padded) tokens, shuffled, similar lengths."""
        order = sorted(range(len(self.ids)), key=lambda i: len(self.ids[i]) + rng.random())
        out, cur = [], []
        for i in order:
            if cur and (len(cur) + 1) * len(self.ids[i]) > tokens_per_batch:
                out.append(cur)
                cur = []
            cur.append(i)
        if cur:
            out.append(cur)
        rng.shuffle(out)
        return out

    def tensors(self, idx, device):
        # A multiple of 64 keeps SDPA on its memory-efficient kernel (a mask whose last dimension
        # is not 16-aligned sends it to the slow math kernel).
        T = (max(len(self.ids[i]) for i in idx) + 63) // 64 * 64
        B = len(idx)
        ids = torch.zeros(B, T, dtype=torch.long)
        pos = torch.zeros(B, T, dtype=torch.long)
        blocks = torch.full((B, MAX_DEPTH, T), -1, dtype=torch.long)
        paths = torch.full((B, MAX_DEPTH, T), -1, dtype=torch.long)
        loss_mask = torch.zeros(B, T, dtype=torch.bool)
        lengths = torch.zeros(B, dtype=torch.long)
        for b, i in enumerate(idx):
            n = len(self.ids[i])
            p, bl, pa = self.spans[i]
            ids[b, :n] = torch.tensor(self.ids[i])
            pos[b, :n] = torch.tensor(p)
            pos[b, n:] = p[-1] + 1 + torch.arange(T - n)
            blocks[b, :, :n] = torch.tensor(bl)
            paths[b, :, :n] = torch.tensor(pa)
            loss_mask[b, self.prompt_len[i]:n] = True    # targets: the response tokens
            lengths[b] = n
        to = lambda t: t.to(device, non_blocking=True)
        ids, pos, blocks, paths, loss_mask, lengths = map(to, (ids, pos, blocks, paths, loss_mask, lengths))
        return ids, pos, layout_mask(blocks, paths, lengths), loss_mask


def loss_of(model, ids, pos, mask, loss_mask):
    """Next-token cross-entropy on the response tokens; also the count of correct argmaxes."""
    logits = model(input_ids=ids, position_ids=pos, attention_mask=mask).logits[:, :-1].float()
    targets, keep = ids[:, 1:], loss_mask[:, 1:]
    loss = F.cross_entropy(logits[keep], targets[keep])
    correct = (logits[keep].argmax(-1) == targets[keep]).sum()
    return loss, correct, keep.sum()


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--train", type=int, default=60000, help="training problems")
    ap.add_argument("--heldout", type=int, default=500)
    ap.add_argument("--vocab", type=int, default=512)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=768)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--batch-tokens", type=int, default=48000)
    ap.add_argument("--minutes", type=float, default=9.0,
                    help="wall-time budget for the whole run; training gets what data preparation,"
                         " evaluation and saving leave")
    ap.add_argument("--reserve", type=float, default=110.0, help="seconds kept for after training")
    ap.add_argument("--init", help="continue from this model directory (its tokenizer and weights)")
    ap.add_argument("--heldout-seed", type=int, default=1006)
    args = ap.parse_args()
    t0 = time.time()
    torch.manual_seed(args.seed)
    device = "cuda"
    os.makedirs(args.out, exist_ok=True)

    heldout = problems(args.heldout_seed, args.heldout)
    train = problems(args.seed, args.train, exclude={q for q, _, _ in heldout})
    if args.init:
        tok = Tokenizer.from_file(os.path.join(args.init, "tokenizer.json"))
    else:
        tok = train_bpe([chat(q) + r for q, r, _ in train[:20000]], args.vocab - len(TAGS) - 8)
    tag = {t: tok.token_to_id(t) for t in TAGS}
    data = Dataset(tok, tag, train, workers=14)
    evalset = Dataset(tok, tag, heldout[:200], workers=14)
    lengths = sorted(len(x) for x in data.ids)
    print(f"data: {len(train)} problems, tokens mean {sum(lengths) / len(lengths):.0f} max {lengths[-1]},"
          f" vocab {tok.get_vocab_size()}, prepared in {time.time() - t0:.0f}s", flush=True)

    vocab = (tok.get_vocab_size() + 63) // 64 * 64
    config = Qwen2Config(
        vocab_size=vocab, hidden_size=args.hidden, intermediate_size=args.intermediate,
        num_hidden_layers=args.layers, num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads, max_position_embeddings=4096, rms_norm_eps=1e-6,
        rope_theta=10000.0, tie_word_embeddings=True, bos_token_id=None,
        eos_token_id=tok.token_to_id("<|im_end|>"))
    if args.init:
        model = Qwen2ForCausalLM.from_pretrained(args.init, dtype=torch.float32, attn_implementation="sdpa").to(device)
        config = model.config
    else:
        model = Qwen2ForCausalLM._from_config(config, attn_implementation="sdpa").to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params / 1e6:.2f}M parameters", flush=True)

    # Self-check: the bool mask means what we think (same loss as an additive float mask).
    ids, pos, mask, lm = evalset.tensors([0, 1], device)
    additive = torch.zeros(mask.shape, device=device).masked_fill(~mask, torch.finfo(torch.float32).min)
    with torch.no_grad():
        a = loss_of(model, ids, pos, mask, lm)[0]
        b = loss_of(model, ids, pos, additive, lm)[0]
    assert abs(a.item() - b.item()) < 1e-4, f"bool and additive masks disagree: {a} {b}"

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.1)
    rng = random.Random(args.seed)
    deadline = t0 + args.minutes * 60
    budget = deadline - args.reserve - time.time()
    print(f"training budget {budget:.0f}s", flush=True)
    start, step, total_steps, log = time.time(), 0, None, []
    warmup = 200
    epoch = 0
    done = False
    while not done:
        epoch += 1
        for idx in data.batches(args.batch_tokens, rng):
            elapsed = time.time() - start
            if step == 50:
                total_steps = int(budget / (elapsed / 50))
                print(f"{elapsed / 50 * 1000:.0f} ms/step -> {total_steps} steps", flush=True)
            if total_steps and step >= total_steps:
                done = True
                break
            horizon = total_steps or 10 ** 9
            lr = args.lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / horizon))))
            for g in opt.param_groups:
                g["lr"] = lr
            ids, pos, mask, lm = data.tensors(idx, device)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss, correct, count = loss_of(model, ids, pos, mask, lm)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 1000 == 0 or step == 100:
                ev = evaluate(model, evalset, device)
                log.append({"step": step, "epoch": epoch, "lr": lr, "train_loss": loss.item(), **ev,
                            "seconds": round(time.time() - start)})
                print(json.dumps(log[-1]), flush=True)

    ev = evaluate(model, evalset, device)
    print("final held-out:", json.dumps(ev), flush=True)
    model.to(torch.bfloat16).save_pretrained(args.out)
    tok.save(os.path.join(args.out, "tokenizer.json"))
    with open(os.path.join(args.out, "heldout.jsonl"), "w") as f:
        for q, _, a in heldout:
            f.write(json.dumps({"question": q, "answer": a}) + "\n")
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump({"args": vars(args), "parameters": params, "steps": step, "epochs": epoch,
                   "log": log, "final_heldout": ev,
                   "torch": torch.__version__, "transformers": __import__("transformers").__version__,
                   "wall_seconds": round(time.time() - t0)}, f, indent=1)


@torch.no_grad()
def evaluate(model, evalset, device):
    """Teacher-forced held-out loss and next-token accuracy on the response tokens."""
    model.eval()
    total, correct, count = 0.0, 0, 0
    for idx in [list(range(i, min(i + 16, len(evalset.ids)))) for i in range(0, len(evalset.ids), 16)]:
        ids, pos, mask, lm = evalset.tensors(idx, device)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss, c, n = loss_of(model, ids, pos, mask, lm)
        total += loss.item() * n.item()
        correct += c.item()
        count += n.item()
    model.train()
    return {"heldout_loss": round(total / count, 5), "heldout_token_accuracy": round(correct / count, 5)}


if __name__ == "__main__":
    main()
