/**
 * Text to token ids and back, exactly as Hugging Face {@code tokenizers} does it for Qwen2-family
 * byte-level BPE: {@link dev.multiverse.tokenizer.Tokenizer} (load a tokenizer.json, encode,
 * decode), {@link dev.multiverse.tokenizer.StreamingDecoder} (ids to text as they are generated),
 * {@link dev.multiverse.tokenizer.ChatFormat} (Qwen2.5's ChatML prompt) and
 * {@link dev.multiverse.tokenizer.MultiverseTags} (the ids of the twelve control tags).
 *
 * <p>The pipeline, one class per step: {@code AddedTokenMatcher} (special and added tokens),
 * {@code Normalization} (NFC), {@code Qwen2PreTokenizer} (the Split regex as a scanner),
 * {@code ByteLevel} (bytes as characters), {@code BytePairModel} with {@code MergeTable} (BPE);
 * {@code TokenizerJsonReader} and {@code ModelSectionReader} read and check the file,
 * {@code Utf8} decodes bytes as Rust does.
 */
package dev.multiverse.tokenizer;
