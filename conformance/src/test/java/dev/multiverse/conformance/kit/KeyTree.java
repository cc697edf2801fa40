package dev.multiverse.conformance.kit;

/**
 * Visibility and positions from path keys alone ({@code "/b:id/b:id..."}), the engine's tree seen
 * from outside: two tokens see each other unless, where their key chains first differ, both name
 * paths of the same block ({@code b} equal, ids different). A token's position is one more than the
 * largest position among the earlier tokens it sees.
 */
final class KeyTree {
    private final String[][] chains;

    KeyTree(String[] keys) {
        chains = new String[keys.length][];
        for (int i = 0; i < keys.length; i++) chains[i] = keys[i].isEmpty() ? new String[0] : keys[i].substring(1).split("/");
    }

    boolean sees(int query, int key) {
        if (key > query) return false;
        String[] q = chains[query], k = chains[key];
        for (int d = 0; d < Math.min(q.length, k.length); d++) {
            if (q[d].equals(k[d])) continue;
            String qBlock = q[d].substring(0, q[d].indexOf(':')), kBlock = k[d].substring(0, k[d].indexOf(':'));
            return !qBlock.equals(kBlock);
        }
        return true;
    }

    int[] positions() {
        int[] pos = new int[chains.length];
        for (int i = 0; i < pos.length; i++) {
            int best = -1;
            for (int j = 0; j < i; j++) if (sees(i, j)) best = Math.max(best, pos[j]);
            pos[i] = best + 1;
        }
        return pos;
    }
}
