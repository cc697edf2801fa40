package dev.multiverse.tokenizer;

/**
 * One entry of tokenizer.json's {@code added_tokens}, with Hugging Face's flags.
 *
 * @param special    skipped by decoders that skip special tokens; reported by {@link Tokenizer#isSpecial}
 * @param normalized matched in the normalized text (true) or in the raw text (false)
 * @param lstrip     the match swallows the white space before it
 * @param rstrip     the match swallows the white space after it
 * @param singleWord matches only where no word character touches it on either side
 */
record AddedToken(int id, String content, boolean special, boolean normalized,
                  boolean lstrip, boolean rstrip, boolean singleWord) {}
