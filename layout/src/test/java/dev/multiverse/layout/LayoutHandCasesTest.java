package dev.multiverse.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small texts whose positions, visibility, blocks and breaks are worked out by hand (token
 * indices are written above each text). Tag structure only: text rules are in
 * {@link GrammarTextRulesTest}.
 */
class LayoutHandCasesTest {
    private final FakeVocab vocab = new FakeVocab();

    private Layout layout(String words) {
        return Layout.of(vocab.tokens(words), FakeVocab.TAGS);
    }

    private static void assertBreaks(Layout layout, Object... indexAndRule) {
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < indexAndRule.length; i += 2) expected.add(indexAndRule[i] + " " + indexAndRule[i + 1]);
        List<String> actual = layout.breaks().stream().map(b -> b.tokenIndex() + " " + b.rule()).toList();
        assertEquals(expected, actual, () -> "breaks: " + layout.breaks());
    }

    @Test
    void textWithoutTagsCountsUpAndSeesEverythingBefore() {
        Layout l = layout("a b c");
        assertArrayEquals(new int[] {0, 1, 2}, l.positions());
        assertEquals(3, l.criticalPath());
        assertEquals(3, l.length());
        assertTrue(l.blocks().isEmpty());
        assertTrue(l.sees(2, 0) && l.sees(1, 1) && !l.sees(0, 1));
        assertBreaks(l, 0, Rule.THINK_MISSING);
    }

    @Test
    void twoPathsOfUnequalLengthRestartAtTheSamePositionAndJoinAfterTheLonger() {
        //          0       1 2          3      4         5  6          7         8  9          10
        Layout l = layout("<Think> a <Parallel> <Goal> <Outline> o1 </Outline> <Outline> o2 </Outline> </Goal> "
                //  11   12 13 14      15     16 17      18           19 20            21          22 23
                + "<Path> p q </Path> <Path> r </Path> <Conclusion> c </Conclusion> </Parallel> z </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12, 13, 14, 11, 12, 13, 15, 16, 17, 18, 19, 20}, l.positions());
        assertEquals(21, l.criticalPath());
        assertEquals(24, l.length());
        Block b = l.blocks().getFirst();
        assertEquals(List.of(new PathSpan(11, 15), new PathSpan(15, 18)), b.paths());
        assertEquals(2, b.parallelIndex());
        assertEquals(10, b.forkIndex());
        assertEquals(18, b.conclusionIndex());
        assertEquals(21, b.closeIndex());
        assertEquals(0, b.depth());
        assertFalse(l.sees(16, 12), "path 2 must not see path 1");
        assertFalse(l.sees(15, 14), "the <Path> of path 2 must not see path 1's </Path>");
        assertTrue(l.sees(16, 10), "paths see the Goal");
        assertTrue(l.sees(17, 15));
        assertTrue(l.sees(18, 13) && l.sees(18, 17), "the Conclusion sees both paths");
        assertTrue(l.sees(22, 12));
        assertFalse(l.sees(12, 16), "nobody sees the future");
        assertBreaks(l);
    }

    @Test
    void blocksNestedThreeDeepApplyTheRuleInsideTheirPath() {
        Layout l = layout(
                // 0     1          2      3         4          5         6          7
                "<Think> <Parallel> <Goal> <Outline> </Outline> <Outline> </Outline> </Goal> "
                // 8    9 10         11     12        13         14        15         16
                + "<Path> a <Parallel> <Goal> <Outline> </Outline> <Outline> </Outline> </Goal> "
                // 17   18 19        20     21        22         23
                + "<Path> b <Parallel> <Goal> <Outline> </Outline> </Goal> "
                // 24   25 26 27     28           29            30
                + "<Path> d e </Path> <Conclusion> </Conclusion> </Parallel> "
                // 31    32     33 34      35           36            37          38
                + "</Path> <Path> f </Path> <Conclusion> </Conclusion> </Parallel> </Path> "
                // 39   40 41      42           43            44          45
                + "<Path> g </Path> <Conclusion> </Conclusion> </Parallel> </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7,
                8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23,
                24, 25, 26, 27, 28, 29, 30,
                31, 17, 18, 19, 32, 33, 34, 35,
                8, 9, 10, 36, 37, 38, 39}, l.positions());
        assertEquals(40, l.criticalPath());
        assertEquals(3, l.blocks().size());
        Block outer = l.blocks().get(0), middle = l.blocks().get(1), inner = l.blocks().get(2);
        assertEquals(List.of(new PathSpan(8, 39), new PathSpan(39, 42)), outer.paths());
        assertEquals(List.of(new PathSpan(17, 32), new PathSpan(32, 35)), middle.paths());
        assertEquals(List.of(new PathSpan(24, 28)), inner.paths());
        assertEquals(List.of(0, 1, 2), l.blocks().stream().map(Block::depth).toList());
        assertEquals(List.of(-1, 0, 1), l.blocks().stream().map(Block::parent).toList());
        assertEquals(List.of(-1, 0, 0), l.blocks().stream().map(Block::parentPath).toList());
        assertEquals(List.of(outer), l.topLevelBlocks());
        assertEquals(List.of(middle), outer.children());
        assertEquals(List.of(inner), middle.children());

        assertFalse(l.sees(33, 25), "middle path 2 must not see the block nested in middle path 1");
        assertFalse(l.sees(40, 25), "outer path 2 sees nothing of outer path 1");
        assertFalse(l.sees(40, 9));
        assertTrue(l.sees(33, 9), "what path 1 wrote before its nested block is seen by all nested paths");
        assertTrue(l.sees(36, 25) && l.sees(36, 33), "middle Conclusion sees both middle paths");
        assertTrue(l.sees(29, 25));
        assertTrue(l.sees(42, 33) && l.sees(42, 40), "outer Conclusion sees everything");
        assertBreaks(l);
    }

    @Test
    void manyPathsEachStartAtSPlusOne() {
        //                0         1      2       3     4    5 6 7      8 9      10 11 12 13          14
        Layout l = layout("<Parallel> <Goal> </Goal> <Path> <Path> x y <Path> x <Path> x y z <Conclusion> </Parallel>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 3, 4, 5, 3, 4, 3, 4, 5, 6, 7, 8}, l.positions());
        assertEquals(9, l.criticalPath());
        assertEquals(List.of(new PathSpan(3, 4), new PathSpan(4, 7), new PathSpan(7, 9), new PathSpan(9, 13)),
                l.blocks().getFirst().paths());
        for (int q = 4; q < 13; q++) {
            for (int k = 3; k <= q; k++) {
                int query = q, key = k;
                boolean samePath = l.blocks().getFirst().paths().stream().anyMatch(p -> p.contains(query) && p.contains(key));
                assertEquals(samePath, l.sees(q, k), "sees(" + q + ", " + k + ")");
            }
        }
        assertBreaks(l, 0, Rule.THINK_MISSING, 0, Rule.BLOCK_OUTSIDE_THINK_OR_PATH,
                1, Rule.GOAL_WITHOUT_OUTLINE, 3, Rule.UNCLOSED_TAG, 4, Rule.UNCLOSED_TAG, 7, Rule.UNCLOSED_TAG,
                9, Rule.UNCLOSED_TAG, 13, Rule.PATH_COUNT_MISMATCH, 13, Rule.UNCLOSED_TAG);
    }

    @Test
    void forkedBlockWithoutPathsChangesNoPosition() {
        //                0       1          2      3         4          5       6            7 8             9           10 11
        Layout l = layout("<Think> <Parallel> <Goal> <Outline> </Outline> </Goal> <Conclusion> c </Conclusion> </Parallel> z </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, l.positions());
        Block b = l.blocks().getFirst();
        assertTrue(b.paths().isEmpty());
        assertEquals(6, b.conclusionIndex());
        assertBreaks(l, 6, Rule.BLOCK_WITHOUT_PATH);
    }

    @Test
    void pathsBeforeTheGoalIsClosedAreTextBecauseTheBlockNeverForked() {
        //                0       1          2      3 4       5           6
        Layout l = layout("<Think> <Parallel> <Path> a </Path> </Parallel> </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, l.positions());
        Block b = l.blocks().getFirst();
        assertTrue(b.paths().isEmpty());
        assertEquals(-1, b.forkIndex());
        assertEquals(2, b.end(), "closed implicitly by the <Path> no block could take");
        assertBreaks(l, 1, Rule.UNCLOSED_TAG, 2, Rule.PATH_OUTSIDE_BLOCK, 4, Rule.STRAY_CLOSING_TAG,
                5, Rule.STRAY_CLOSING_TAG);
    }

    @Test
    void unclosedPathsRunToTheNextSiblingAndTheLastToTheEndOfTheText() {
        //                0       1          2      3         4          5         6          7       8    9 10 11   12
        Layout l = layout("<Think> <Parallel> <Goal> <Outline> </Outline> <Outline> </Outline> </Goal> <Path> a b <Path> c");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 8, 9}, l.positions());
        assertEquals(11, l.criticalPath());
        Block b = l.blocks().getFirst();
        assertEquals(List.of(new PathSpan(8, 11), new PathSpan(11, 13)), b.paths());
        assertEquals(-1, b.joinIndex());
        assertEquals(13, b.end());
        assertFalse(l.sees(12, 10));
        assertTrue(l.sees(12, 7));
        assertBreaks(l, 0, Rule.UNCLOSED_TAG, 1, Rule.UNCLOSED_TAG, 8, Rule.UNCLOSED_TAG, 11, Rule.UNCLOSED_TAG);
    }

    @Test
    void strayTagsAreReportedAndClosingParallelJoinsABlockWithoutConclusion() {
        //                0       1       2 3       4          5       6    7 8       9       10   11 12     13
        Layout l = layout("<Think> </Path> a </Goal> <Parallel> </Goal> <Path> x </Path> </Path> <Path> y </Path> </Parallel> "
                // 14           15          16
                + "</Conclusion> </Parallel> </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 7, 8, 10, 11, 12, 13}, l.positions());
        Block b = l.blocks().getFirst();
        assertEquals(List.of(new PathSpan(6, 10), new PathSpan(10, 13)), b.paths());
        assertEquals(13, b.joinIndex());
        assertTrue(l.sees(13, 8) && l.sees(13, 11));
        assertFalse(l.sees(11, 9), "a stray </Path> inside path 1 still belongs to path 1");
        assertBreaks(l, 1, Rule.STRAY_CLOSING_TAG, 3, Rule.STRAY_CLOSING_TAG, 5, Rule.GOAL_MISSING,
                9, Rule.STRAY_CLOSING_TAG, 13, Rule.CONCLUSION_MISSING, 14, Rule.STRAY_CLOSING_TAG,
                15, Rule.STRAY_CLOSING_TAG);
    }

    @Test
    void aNestedBlockThatNeverForkedGivesWayToTheNextOuterPath() {
        // An engine writes this when path 1 stops (EOS) inside a nested Goal: the nested block never
        // forked, so the next <Path> is path 2 of the outer block.
        Layout l = layout(
                // 0     1          2      3         4          5         6          7
                "<Think> <Parallel> <Goal> <Outline> </Outline> <Outline> </Outline> </Goal> "
                // 8    9 10         11     12        13 14     15 16      17           18            19          20
                + "<Path> a <Parallel> <Goal> <Outline> t <Path> b </Path> <Conclusion> </Conclusion> </Parallel> </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7,
                8, 9, 10, 11, 12, 13, 8, 9, 10, 14, 15, 16, 17}, l.positions());
        assertEquals(List.of(new PathSpan(8, 14), new PathSpan(14, 17)), l.blocks().get(0).paths());
        assertTrue(l.blocks().get(1).paths().isEmpty());
        assertEquals(14, l.blocks().get(1).end());
        assertFalse(l.sees(15, 12));
        assertBreaks(l, 8, Rule.UNCLOSED_TAG, 10, Rule.UNCLOSED_TAG, 11, Rule.UNCLOSED_TAG, 12, Rule.UNCLOSED_TAG);
    }

    @Test
    void aSecondConclusionClosesTheNestedBlockAndConcludesTheOuterOne() {
        // Path 1 stopped inside its nested Conclusion; the engine then joins the outer block.
        Layout l = layout(
                // 0     1          2      3         4          5       6    7
                "<Think> <Parallel> <Goal> <Outline> </Outline> </Goal> <Path> <Parallel> "
                // 8     9         10         11      12   13 14     15 16     17           18 19
                + "<Goal> <Outline> </Outline> </Goal> <Path> x <Path> y z <Conclusion> c <Conclusion> </Think>");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 18},
                l.positions());
        Block outer = l.blocks().get(0), inner = l.blocks().get(1);
        assertEquals(List.of(new PathSpan(6, 19)), outer.paths());
        assertEquals(19, outer.conclusionIndex());
        assertEquals(17, inner.conclusionIndex());
        assertEquals(19, inner.end());
        assertFalse(l.sees(15, 13));
        assertTrue(l.sees(19, 13));
    }
}
