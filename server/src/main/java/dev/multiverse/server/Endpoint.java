package dev.multiverse.server;

/** The two generation endpoints; they differ in how the prompt is given and how the answer is shaped. */
enum Endpoint {
    /** {@code POST /v1/chat/completions}: messages in, a message out. */
    CHAT("/v1/chat/completions", "chat.completion", "chatcmpl-"),
    /** {@code POST /v1/completions}: a raw prompt (text or token ids) in, text out. */
    COMPLETIONS("/v1/completions", "text_completion", "cmpl-");

    final String path;
    /** The {@code object} of a whole response; a streamed chunk of chat adds ".chunk". */
    final String object;
    final String idPrefix;

    Endpoint(String path, String object, String idPrefix) {
        this.path = path;
        this.object = object;
        this.idPrefix = idPrefix;
    }

    String chunkObject() {
        return this == CHAT ? object + ".chunk" : object;
    }
}
