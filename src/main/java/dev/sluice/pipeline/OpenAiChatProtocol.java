package dev.sluice.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.WireProtocol;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * OpenAI's chat completions on the way out, the pipeline's own vocabulary: the completion as JSON, each chunk as
 * {@code data: {...}\n\n} exactly as it is held (an untouched upstream chunk keeps its bytes), {@code data: [DONE]}
 * at the end, OpenAI's error envelope for failures, in the stream as a {@code data:} event.
 */
public final class OpenAiChatProtocol implements ClientProtocol {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ObjectMapper mapper;
    private final StreamWriter writer;

    public OpenAiChatProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
        // stateless: one writer serves every stream
        this.writer = new StreamWriter() {
            @Override
            public Buffer chunk(ChatChunk chunk) {
                return chunk.dropped() || chunk.carrier() ? NOTHING : frame(chunk.encoded());
            }

            @Override
            public Buffer end() {
                return DONE;
            }

            @Override
            public Buffer failure(ApiException failure) {
                return frame(Buffer.buffer(encode(failure.envelope())));
            }
        };
    }

    @Override
    public WireProtocol wire() {
        return WireProtocol.OPENAI_CHAT;
    }

    @Override
    public Buffer whole(Exchange exchange, ObjectNode completion) {
        return Buffer.buffer(encode(completion));
    }

    @Override
    public StreamWriter streamWriter(Exchange exchange, ChatStream stream) {
        return writer;
    }

    @Override
    public ErrorReply error(ApiException failure, String requestId) {
        return new ErrorReply(failure.status(), Buffer.buffer(encode(failure.envelope())));
    }

    private static Buffer frame(Buffer json) {
        return Buffer.buffer(json.length() + 8).appendBytes(DATA).appendBuffer(json).appendBytes(END);
    }

    private byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }
}
