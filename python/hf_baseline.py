"""Hugging Face transformers on the Multiverse-32B shape: the baseline of the GPU benchmark.

Random bf16 weights (made on the GPU), a prompt of CONTEXT random tokens per sequence, greedy
decoding of STEPS new tokens, sdpa attention. Two configurations, as users run them:
  plain   model.generate(...)                               (dynamic cache, eager step)
  static  model.generate(..., cache_implementation="static") (static cache; transformers compiles the step)
Decode tokens per second = batch * (STEPS - 1) / (time(STEPS new tokens) - time(1 new token)),
so the prefill and the compile of the first call are not counted (each configuration is warmed up first).

Run on the GPU machine: python3 python/hf_baseline.py [--layers 64] [--batches 1,16] [--steps 32]
Prints one JSON line per (configuration, batch).
"""
import argparse
import json
import time

import torch
import transformers
from transformers import Qwen2Config, Qwen2ForCausalLM


def shape(layers):
    return Qwen2Config(hidden_size=5120, intermediate_size=27648, num_hidden_layers=layers, num_attention_heads=40,
                       num_key_value_heads=8, head_dim=128, rms_norm_eps=1e-6, rope_theta=1e6, vocab_size=151680,
                       max_position_embeddings=32768, tie_word_embeddings=False, attn_implementation="sdpa",
                       eos_token_id=151645, pad_token_id=151643)


def timed_generate(model, ids, new_tokens, **kw):
    torch.cuda.synchronize()
    t = time.perf_counter()
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                         do_sample=False, **kw)
    torch.cuda.synchronize()
    assert out.shape[1] == ids.shape[1] + new_tokens
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=64)
    ap.add_argument("--batches", default="1,16")
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--configs", default="plain,static")
    args = ap.parse_args()
    torch.manual_seed(0)
    with torch.device("cuda"):
        torch.set_default_dtype(torch.bfloat16)
        model = Qwen2ForCausalLM(shape(args.layers)).eval()
    gen = torch.Generator(device="cuda").manual_seed(1)
    for config in args.configs.split(","):
        kw = {"cache_implementation": "static"} if config == "static" else {}
        for batch in map(int, args.batches.split(",")):
            ids = torch.randint(0, 151000, (batch, args.context), device="cuda", generator=gen)
            with torch.inference_mode():
                timed_generate(model, ids, args.steps, **kw)  # warm-up (and compile, for static)
                one = timed_generate(model, ids, 1, **kw)
                full = timed_generate(model, ids, args.steps, **kw)
            per_step = (full - one) / (args.steps - 1)
            print(json.dumps({"config": config, "batch": batch, "layers": args.layers, "ms_per_step": round(per_step * 1e3, 2),
                              "tokens_per_s": round(batch / per_step, 1), "transformers": transformers.__version__,
                              "torch": torch.__version__, "gpu": torch.cuda.get_device_name()}), flush=True)


if __name__ == "__main__":
    main()
