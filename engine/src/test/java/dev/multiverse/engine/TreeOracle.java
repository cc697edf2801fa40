package dev.multiverse.engine;

/**
 * The canonical layout (spec section 3) computed independently of the engine from each token's
 * place in the tree (its path key, "/b:id/b:id..."): token i sees an earlier token j unless they
 * lie in two different paths of the same block; a token's position is one more than the largest
 * position among the earlier tokens it sees (so a block's paths all start at s + 1 and its
 * Conclusion follows the longest path).
 */
final class TreeOracle {
    private final String[][] chains;
    final int[] positions;

    TreeOracle(String[] pathKeys) {
        int n = pathKeys.length;
        chains = new String[n][];
        for (int i = 0; i < n; i++) chains[i] = pathKeys[i].isEmpty() ? new String[0] : pathKeys[i].substring(1).split("/");
        positions = new int[n];
        for (int i = 0; i < n; i++) {
            int largest = -1;
            for (int j = 0; j < i; j++) if (visible(i, j)) largest = Math.max(largest, positions[j]);
            positions[i] = largest + 1;
        }
    }

    boolean visible(int i, int j) {
        if (j > i) return false;
        String[] a = chains[i], b = chains[j];
        int k = 0;
        while (k < a.length && k < b.length && a[k].equals(b[k])) k++;
        if (k == a.length || k == b.length) return true;
        String blockA = a[k].substring(0, a[k].indexOf(':'));
        String blockB = b[k].substring(0, b[k].indexOf(':'));
        return !blockA.equals(blockB);
    }

    /** The latest token before j that j sees (its predecessor in the single pass), or -1. */
    int predecessor(int j) {
        for (int i = j - 1; i >= 0; i--) if (visible(j, i)) return i;
        return -1;
    }
}
