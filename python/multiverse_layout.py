"""The canonical Multiverse layout (spec section 3), in Python, written from the spec alone.

Used by the golden generator and the trainer, so the Java layout is checked against an
independent implementation. Token ids of the tags come in as a dict {tag text: id}.
"""


def layout(ids, tag):
    """Positions and visibility for a token list. tag maps tag text -> id.

    Returns (positions, span) where span[i] is a tuple of (block_id, path_index) pairs, one per
    enclosing path span from outermost to innermost. Token i sees token j (j <= i) unless they
    lie in two different paths of one block: see visible().
    """
    P, CONC, PAR_END = tag["<Path>"], tag["<Conclusion>"], tag["</Parallel>"]
    PAR = tag["<Parallel>"]
    positions, span = [], []
    # Stack of open blocks: dict(id, start (position s), max (largest position in its paths),
    # path (index of the current path or -1), outer (span tuple outside the block)).
    stack, next_block, pos, here = [], 0, -1, ()
    for t in ids:
        if t == PAR:
            stack.append(dict(id=next_block, start=None, max=None, path=-1, outer=here))
            next_block += 1
            pos += 1
        elif t == P and stack:
            b = stack[-1]
            if b["path"] >= 0:          # the previous path ends here: remember its last position
                b["max"] = max(b["max"], pos)
            else:                       # first path: s is the position of the token before it
                b["start"], b["max"] = pos, pos
            b["path"] += 1
            here = b["outer"] + ((b["id"], b["path"]),)
            pos = b["start"] + 1
        elif t == CONC and stack and stack[-1]["path"] >= 0:
            b = stack[-1]
            b["max"] = max(b["max"], pos)
            here = b["outer"]
            b["path"] = -2              # in the conclusion: no more paths of this block
            pos = b["max"] + 1
        elif t == PAR_END and stack:
            b = stack.pop()
            if b["path"] >= 0:          # closed without a conclusion: continue after its paths
                b["max"] = max(b["max"], pos)
                pos = b["max"]
            here = b["outer"]
            pos += 1
        else:
            pos += 1
        positions.append(pos)
        span.append(here)
    return positions, span


def visible(span, i, j):
    """j <= i is visible from i unless i and j are in different paths of the same block."""
    return compatible(span[i], span[j])


def compatible(a, b):
    """Two span chains see each other unless some block holds them in two different paths."""
    for (ba, pa), (bb, pb) in zip(a, b):
        if ba != bb:
            return True
        if pa != pb:
            return False
    return True


def additive_mask(span, dtype):
    """[1, 1, n, n] additive mask (0 where visible, the dtype's minimum elsewhere)."""
    import torch  # only here: the layout itself needs no torch

    n = len(span)
    m = torch.full((n, n), torch.finfo(dtype).min, dtype=dtype)
    for i in range(n):
        for j in range(i + 1):
            if visible(span, i, j):
                m[i, j] = 0
    return m[None, None]


def predecessors(span):
    """pred[j] = the latest token before j that j sees (None for the first token).

    Token j is predicted by that token's row: for most tokens it is j - 1; for the <Path> token
    of a second or later path it is the last token before the block's first <Path>, exactly
    the row an engine uses when it forks.
    """
    pred = [None]
    for j in range(1, len(span)):
        k = j - 1
        while not visible(span, j, k):
            k -= 1
        pred.append(k)
    return pred
