"""Text conventions shared by the Python tools: the tags, the ChatML prompt, and a small
byte-level BPE trained with Hugging Face tokenizers in the same shape as Qwen2.5's tokenizer.json
(NFC, Qwen's Split regex, ByteLevel), so the Java tokenizer reads it like the real one."""

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

TAGS = ["<Think>", "</Think>", "<Parallel>", "</Parallel>", "<Goal>", "</Goal>",
        "<Outline>", "</Outline>", "<Path>", "</Path>", "<Conclusion>", "</Conclusion>"]
CHATML = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# Qwen2.5's Split pattern (a fact of its tokenizer.json).
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
              r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
SUFFIX = " Think step by step and in parallel before answering."


def chat(user):
    """The Qwen2.5 ChatML prompt for a Multiverse question, up to the assistant's turn."""
    return (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{user}{SUFFIX}<|im_end|>\n"
            f"<|im_start|>assistant\n")


def train_bpe(corpus, vocab_size):
    """A byte-level BPE with the ChatML tokens and the twelve tags as special tokens."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=CHATML + TAGS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    return tok
