package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoalOutlinesTest {
    static final CharVocabulary V = EngineHarness.VOCAB;

    static GoalOutlines.Result parse(String goalBody) {
        return GoalOutlines.parse(V.encodeTagged(goalBody), V);
    }

    @Test
    void readsIdsInOutlineOrder() {
        var r = parse("\n<Outline>\n2.1: a b\n</Outline>\n<Outline>\n2.10: c\n</Outline>\n");
        assertTrue(r.wellFormed());
        assertEquals(List.of("2.1", "2.10"), r.ids());
    }

    @Test
    void malformedGoalsSayWhy() {
        assertEquals("the Goal has no <Outline>", parse("\n plan\n").problem());
        assertTrue(parse("\n<Outline>\n1 a\n</Outline>\n").problem().contains("has no ':'"));
        assertTrue(parse("\n<Outline>\n1.: a\n</Outline>\n").problem().contains("not numbers joined by dots"));
        assertTrue(parse("\n<Outline>\n: a\n</Outline>\n").problem().contains("not numbers joined by dots"));
        assertTrue(parse("\n<Outline>\n1: a\n</Outline>\n<Outline>\n1: b\n</Outline>\n").problem().contains("repeats"));
        assertFalse(parse("\n<Outline>\n" + "1".repeat(40) + ": a\n</Outline>\n").wellFormed());
    }

    @Test
    void replayPromptEndsAfterTheAssistantOpener() {
        // No chat opener in the char vocabulary: the prompt is the first token.
        int[] tokens = V.encodeTagged(" abc");
        assertEquals(1, Replay.promptLength(tokens, V));
    }
}
