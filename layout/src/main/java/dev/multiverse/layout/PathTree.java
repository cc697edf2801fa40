package dev.multiverse.layout;

/**
 * Visibility (spec section 3): token q sees token k iff k &le; q and the two do not lie in two
 * different sibling paths of one block.
 *
 * <p>Every path gets a node; node 0 stands for "in no path". A node's parent is the innermost
 * path that contains its block. Each token records its innermost path. To decide q and k, lift
 * the deeper node until both have the same depth, then lift both together: if they meet, one path
 * contains the other and q sees k; if they are about to become children of one node, they are two
 * distinct paths there, and q is blind to k exactly when the two paths belong to the same block
 * (two blocks one after the other inside a path are not siblings). Cost O(depth).
 */
final class PathTree {
    private final int[] pathOf;   // [tokens] innermost path node of the token, 0 for none
    private final int[] parent;   // [nodes]  enclosing path node, -1 for node 0
    private final int[] block;    // [nodes]  block id of the path, -1 for node 0
    private final int[] depth;    // [nodes]  0 for node 0, 1 for a path of a top-level block, ...

    PathTree(Structure structure) {
        int nodes = 1 + structure.blocks().stream().mapToInt(b -> b.paths().size()).sum();
        pathOf = new int[structure.length()];
        parent = new int[nodes];
        block = new int[nodes];
        depth = new int[nodes];
        parent[0] = -1;
        block[0] = -1;
        int node = 1;
        // Blocks come in the order of their <Parallel>, so an enclosing path is filled in before
        // the paths inside it overwrite their part of pathOf.
        for (Block b : structure.blocks()) {
            int enclosing = pathOf[b.parallelIndex()];
            for (PathSpan p : b.paths()) {
                parent[node] = enclosing;
                block[node] = b.id();
                depth[node] = depth[enclosing] + 1;
                java.util.Arrays.fill(pathOf, p.start(), p.end(), node);
                node++;
            }
        }
    }

    boolean sees(int query, int key) {
        if (key > query) return false;
        int a = pathOf[query], b = pathOf[key];
        while (depth[a] > depth[b]) a = parent[a];
        while (depth[b] > depth[a]) b = parent[b];
        while (a != b) {
            if (parent[a] == parent[b]) return block[a] != block[b];
            a = parent[a];
            b = parent[b];
        }
        return true;
    }
}
