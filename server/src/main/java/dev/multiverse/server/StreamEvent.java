package dev.multiverse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a request's listener hands to the thread that writes its stream, in order. */
sealed interface StreamEvent {

    /** More of the text in final merged order. */
    record Text(String text) implements StreamEvent {}

    /** A per-path event (docs/server.md), sent as the SSE event {@code multiverse.path}. */
    record PathChange(ObjectNode data) implements StreamEvent {}

    /** The request's future has completed: nothing follows. */
    record End() implements StreamEvent {}
}
