package dev.multiverse.layout;

/**
 * The rules of the Multiverse grammar (spec section 2), one constant per way a text can break it.
 * Rules marked "text" are checked only when the validator is given the token texts.
 */
public enum Rule {
    /** The response does not begin with {@code <Think>}. */
    THINK_MISSING,
    /** A {@code <Think>} other than the first token: there is one Think section, at the start. */
    THINK_OUT_OF_PLACE,
    /** Text: {@code </Think>} is not followed by {@code "\n\nAnswer: "}. */
    ANSWER_MISSING,
    /** A {@code <Parallel>} that is neither directly in the Think body nor directly in a path. */
    BLOCK_OUTSIDE_THINK_OR_PATH,
    /** A block whose paths or conclusion come without a {@code <Goal>} before them. */
    GOAL_MISSING,
    /** A {@code <Goal>} that does not directly follow its block's {@code <Parallel>}. */
    GOAL_OUT_OF_PLACE,
    /** A Goal with no Outline in it. */
    GOAL_WITHOUT_OUTLINE,
    /** An {@code <Outline>} not directly inside a Goal. */
    OUTLINE_OUTSIDE_GOAL,
    /** A {@code <Path>} that no open, forked block can take (no block open, or after the Conclusion). */
    PATH_OUTSIDE_BLOCK,
    /** A block that ends or concludes without any path. */
    BLOCK_WITHOUT_PATH,
    /** A block whose number of paths differs from the number of Outlines in its Goal. */
    PATH_COUNT_MISMATCH,
    /** A {@code <Conclusion>} that no open, forked block can take. */
    CONCLUSION_OUTSIDE_BLOCK,
    /** A block closed by {@code </Parallel>} without a Conclusion. */
    CONCLUSION_MISSING,
    /** An opening tag whose closing tag never comes (or comes only after an enclosing element ended). */
    UNCLOSED_TAG,
    /** A closing tag with no matching open element. */
    STRAY_CLOSING_TAG,
    /** Text: a tag that the grammar follows with a newline is followed by something else. */
    NEWLINE_MISSING_AFTER_TAG,
    /** Text: {@code </Outline>} or {@code </Conclusion>} not preceded by a newline. */
    NEWLINE_MISSING_BEFORE_TAG,
    /** Text: something other than a single newline between two tags the grammar puts side by side. */
    TEXT_BETWEEN_TAGS,
    /** Text: an Outline that does not start with {@code "\n" ID ": "}, ID being the expected one. */
    BAD_OUTLINE_ID,
    /** Text: a path that does not start with {@code "\n" ID ": "}, ID being the expected one. */
    BAD_PATH_ID,
}
