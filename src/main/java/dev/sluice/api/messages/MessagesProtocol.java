package dev.sluice.api.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.WireProtocol;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's Messages API on the way out. An answer an Anthropic upstream gave to the client's own request is
 * relayed as it came (the whole message, or each event of the stream); any other is translated from the pipeline's
 * OpenAI view ({@link MessagesResponseTranslator}, {@link MessagesStreamWriter}). Errors take Anthropic's shape
 * ({@link MessagesErrors}).
 *
 * @param model the model name the client asked for, reported in translated answers
 */
record MessagesProtocol(ObjectMapper mapper, String model) implements ClientProtocol {

    @Override
    public WireProtocol wire() {
        return WireProtocol.ANTHROPIC_MESSAGES;
    }

    @Override
    public Buffer whole(Exchange exchange, ObjectNode completion) {
        Buffer nativeAnswer = exchange.get(Exchange.NATIVE_ANSWER);
        if (nativeAnswer != null) {
            return nativeAnswer;
        }
        return encode(MessagesResponseTranslator.toMessage(completion, model, mapper));
    }

    @Override
    public StreamWriter streamWriter(Exchange exchange, ChatStream stream) {
        if (stream.nativeProtocol() == WireProtocol.ANTHROPIC_MESSAGES) {
            return new Relay(mapper);
        }
        return new MessagesStreamWriter(mapper, model);
    }

    @Override
    public ErrorReply error(ApiException failure, String requestId) {
        return new ErrorReply(failure.status(), encode(MessagesErrors.body(failure, requestId, mapper)));
    }

    private Buffer encode(ObjectNode json) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    /** A passed-through stream: the upstream's events as they came; it ends with them (its own message_stop). */
    private static final class Relay implements StreamWriter {

        private final ObjectMapper mapper;

        Relay(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public Buffer chunk(ChatChunk chunk) {
            Buffer frame = chunk.nativeFrame();
            return frame == null ? NOTHING : frame;
        }

        @Override
        public Buffer end() {
            return NOTHING;
        }

        @Override
        public Buffer failure(ApiException failure) {
            return new MessagesStreamWriter(mapper, "").failure(failure);
        }
    }
}
