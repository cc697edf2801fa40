package dev.multiverse.layout;

import java.util.Arrays;

/**
 * Position ids under the canonical rule (spec section 3), in one pass over the tokens.
 *
 * <p>Positions count up by one per token. At a block's first {@code <Path>} the block remembers
 * {@code base = s + 1}, s being the position of the token before; every {@code <Path>} of the
 * block restarts counting at {@code base}. Before a path restarts, the block records the largest
 * position its previous path reached; at the block's join token (see {@link Block#joinIndex()})
 * counting resumes at (largest position of any path) + 1; a block without paths changes nothing. Nested blocks do the same inside their
 * path; since counting inside a path only ever resumes above everything it used, the position
 * just before a path ends is the largest one the path used.
 */
final class Positions {
    private Positions() {}

    static int[] compute(Structure structure) {
        int n = structure.length();
        int[] startsPathOf = filled(n);
        int[] joins = filled(n);
        for (Block b : structure.blocks()) {
            for (PathSpan p : b.paths()) startsPathOf[p.start()] = b.id();
            if (b.joinIndex() >= 0) joins[b.joinIndex()] = b.id();
        }
        int blocks = structure.blocks().size();
        int[] base = new int[blocks];
        int[] largest = new int[blocks];
        boolean[] started = new boolean[blocks];  // has the block's first path begun?

        int[] positions = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            int b = startsPathOf[i];
            if (b >= 0) {
                if (!started[b]) {
                    started[b] = true;
                    base[b] = next;
                    largest[b] = next - 1;
                } else {
                    largest[b] = Math.max(largest[b], next - 1);
                }
                next = base[b];
            } else if ((b = joins[i]) >= 0 && started[b]) {
                largest[b] = Math.max(largest[b], next - 1);
                next = largest[b] + 1;
            }
            positions[i] = next++;
        }
        return positions;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }
}
