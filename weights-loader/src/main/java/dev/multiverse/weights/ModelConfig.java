package dev.multiverse.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The numbers of a Qwen2-family decoder, read from its {@code config.json} (nothing else reads that
 * file). Shapes follow from them: q has {@code numHeads × headDim} rows, k and v
 * {@code numKvHeads × headDim}; the MLP is {@code hiddenSize → intermediateSize → hiddenSize}.
 *
 * @param rmsNormEps   the epsilon in {@code x / sqrt(mean(x²) + eps)}
 * @param ropeTheta    the RoPE base: frequency i is {@code ropeTheta^(-2i/headDim)}
 * @param dtype        the dtype the checkpoint was saved in (F32, F16 or BF16)
 * @param eosTokenIds  every id that ends generation; may be empty (a fresh copy on each call)
 */
public record ModelConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                          int headDim, int vocabSize, float rmsNormEps, double ropeTheta,
                          int maxPositionEmbeddings, boolean tieWordEmbeddings, DType dtype,
                          OptionalInt bosTokenId, int[] eosTokenIds) {

    /** Checks the invariants every backend relies on; throws {@link IllegalArgumentException}. */
    public ModelConfig {
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("intermediateSize", intermediateSize);
        requirePositive("numLayers", numLayers);
        requirePositive("numHeads", numHeads);
        requirePositive("numKvHeads", numKvHeads);
        requirePositive("headDim", headDim);
        requirePositive("vocabSize", vocabSize);
        requirePositive("maxPositionEmbeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("numHeads " + numHeads + " is not a multiple of numKvHeads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("headDim " + headDim + " is odd; RoPE rotates pairs");
        }
        if (!(rmsNormEps > 0) || !Float.isFinite(rmsNormEps)) {
            throw new IllegalArgumentException("rmsNormEps must be finite and > 0, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw new IllegalArgumentException("ropeTheta must be finite and > 0, got " + ropeTheta);
        }
        if (dtype == null || !dtype.isFloatReadable()) {
            throw new IllegalArgumentException("dtype must be F32, F16 or BF16, got " + dtype);
        }
        if (bosTokenId == null) {
            throw new IllegalArgumentException("bosTokenId is null (use OptionalInt.empty())");
        }
        bosTokenId.ifPresent(id -> requireTokenId("bosTokenId", id, vocabSize));
        eosTokenIds = eosTokenIds.clone();
        for (int id : eosTokenIds) {
            requireTokenId("eosTokenIds", id, vocabSize);
        }
    }

    /** Reads and checks {@code configJson}. */
    public static ModelConfig load(Path configJson) throws ModelConfigException {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (IOException e) {
            throw new ModelConfigException(configJson.toString(), null, "cannot be read: " + e, e);
        }
        return parse(text, configJson.toString());
    }

    /** Parses and checks {@code json}; {@code sourceName} is used in error messages. */
    public static ModelConfig parse(String json, String sourceName) throws ModelConfigException {
        return Qwen2ConfigReader.read(json, sourceName);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    /** Whether {@code tokenId} ends generation. */
    public boolean isEos(int tokenId) {
        for (int id : eosTokenIds) {
            if (id == tokenId) {
                return true;
            }
        }
        return false;
    }

    /** Query heads per key/value head (grouped-query attention). */
    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && hiddenSize == c.hiddenSize && intermediateSize == c.intermediateSize
                && numLayers == c.numLayers && numHeads == c.numHeads && numKvHeads == c.numKvHeads
                && headDim == c.headDim && vocabSize == c.vocabSize
                && Float.compare(rmsNormEps, c.rmsNormEps) == 0 && Double.compare(ropeTheta, c.ropeTheta) == 0
                && maxPositionEmbeddings == c.maxPositionEmbeddings && tieWordEmbeddings == c.tieWordEmbeddings
                && dtype == c.dtype && bosTokenId.equals(c.bosTokenId) && Arrays.equals(eosTokenIds, c.eosTokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, dtype, bosTokenId)
                + Arrays.hashCode(eosTokenIds);
    }

    @Override
    public String toString() {
        return "ModelConfig[hiddenSize=" + hiddenSize + ", intermediateSize=" + intermediateSize
                + ", numLayers=" + numLayers + ", numHeads=" + numHeads + ", numKvHeads=" + numKvHeads
                + ", headDim=" + headDim + ", vocabSize=" + vocabSize + ", rmsNormEps=" + rmsNormEps
                + ", ropeTheta=" + ropeTheta + ", maxPositionEmbeddings=" + maxPositionEmbeddings
                + ", tieWordEmbeddings=" + tieWordEmbeddings + ", dtype=" + dtype + ", bosTokenId=" + bosTokenId
                + ", eosTokenIds=" + Arrays.toString(eosTokenIds) + "]";
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void requireTokenId(String what, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(what + " " + id + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }
}
