package dev.multiverse.layout;

/**
 * The token range {@code [start, end)} of one path: from its {@code <Path>} token up to, not
 * including, the next sibling {@code <Path>} or the block's join token (spec section 3). The
 * newline after {@code </Path>} therefore belongs to the path.
 */
public record PathSpan(int start, int end) {
    public PathSpan {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("path span [" + start + ", " + end + ") is empty or negative");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int index) {
        return index >= start && index < end;
    }
}
