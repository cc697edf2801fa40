package dev.multiverse.server;

/**
 * A test class's server: the shipped model, a server over it on an ephemeral loopback port, and a
 * client. Open it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
record Served(ArithModel model, OpenAiServer server, Http http) implements AutoCloseable {

    /** What a test builds its server with. */
    interface Start {
        OpenAiServer on(ArithModel model) throws Exception;
    }

    /** The default server ({@link ArithModel#serve()}). */
    static Served start() throws Exception {
        return start(ArithModel::serve);
    }

    static Served start(Start start) throws Exception {
        ArithModel model = ArithModel.open();
        OpenAiServer server = start.on(model);
        return new Served(model, server, Http.to(server));
    }

    /** A chat request body asking {@code question}, with more fields (each starting with a comma). */
    static String chat(String question, String fields) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]" + fields + "}";
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
