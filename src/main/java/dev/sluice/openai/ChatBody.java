package dev.sluice.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/** A chat-completions request body: the client's JSON tree plus its typed view. */
public final class ChatBody extends WireBody<ChatCompletionRequest> {

    public ChatBody(byte[] raw, ObjectNode body, ChatCompletionRequest view,
                    Function<ObjectNode, ChatCompletionRequest> viewer) {
        super(raw, body, view, viewer);
    }

    public boolean streaming() {
        return body().path("stream").asBoolean(false);
    }

    public boolean includeUsage() {
        return body().path("stream_options").path("include_usage").asBoolean(false);
    }
}
