package dev.sluice.api.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.OpenAiChatProtocol;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.WireProtocol;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.List;

/**
 * OpenAI's Responses API on the way out, for one request: the answer as a Response object, the stream as the
 * Responses event sequence ({@code event: <type>} and {@code data: <json>} per event), errors in OpenAI's
 * envelope. An answer the upstream gave in this protocol (a request passed through to OpenAI or Azure) is relayed
 * as it came; only Sluice's {@code usage.cost} is added to it. Any other answer is translated
 * ({@link ResponseTranslator}, {@link ResponseStream}).
 *
 * <p>It also keeps the final Response object, which the route stores ({@code store: true}) before the last bytes
 * leave: {@link #finalResponse()} and {@link #terminal(Buffer)}.
 */
public final class ResponsesProtocol implements ClientProtocol {

    private static final String COMPLETED_EVENT_LINE = "event: " + ResponsesWire.COMPLETED_EVENT;
    private static final String INCOMPLETE_EVENT_LINE = "event: " + ResponsesWire.INCOMPLETE_EVENT;

    private final ObjectMapper mapper;
    private final ClientProtocol errors;
    private final ObjectNode shell;
    private final ToolNames names;
    private final ResponseObjects.Ids ids;
    private ObjectNode finalResponse;
    private Buffer terminal;

    public ResponsesProtocol(ObjectMapper mapper, ObjectNode shell, ToolNames names, ResponseObjects.Ids ids) {
        this.mapper = mapper;
        this.errors = new OpenAiChatProtocol(mapper);
        this.shell = shell;
        this.names = names;
        this.ids = ids;
    }

    @Override
    public WireProtocol wire() {
        return WireProtocol.OPENAI_RESPONSES;
    }

    @Override
    public Buffer whole(Exchange exchange, ObjectNode completion) {
        Buffer upstream = exchange.get(Exchange.NATIVE_ANSWER);
        if (upstream != null) {
            ObjectNode response = parse(upstream);
            finalResponse = response;
            if (response == null || !addCost(response, completion.path("usage"))) {
                return upstream;
            }
            return Buffer.buffer(encode(response));
        }
        finalResponse = ResponseTranslator.fromCompletion(shell, completion, names, ids);
        return Buffer.buffer(encode(finalResponse));
    }

    @Override
    public StreamWriter streamWriter(Exchange exchange, ChatStream stream) {
        return stream.nativeProtocol() == WireProtocol.OPENAI_RESPONSES ? new Relaying() : new Translating();
    }

    @Override
    public ErrorReply error(ApiException failure, String requestId) {
        return errors.error(failure, requestId);
    }

    /** The Response object the client received in full (completed or incomplete); null before, or if it failed. */
    public ObjectNode finalResponse() {
        return finalResponse;
    }

    /** Whether these bytes are the last of a stream that completed: the event carrying the final Response. */
    public boolean terminal(Buffer bytes) {
        return bytes == terminal && terminal != null;
    }

    /** The provider's events, relayed as they came; the final one waits for the usage and gets its cost. */
    private final class Relaying implements StreamWriter {
        private Buffer held;

        @Override
        public Buffer chunk(ChatChunk chunk) {
            Buffer frame = chunk.nativeFrame();
            if (held != null && !chunk.carrier() && chunk.json().get("usage") instanceof ObjectNode usage) {
                held = withCost(held, usage);
            }
            if (frame == null) {
                return NOTHING;
            }
            String start = frame.getString(0, Math.min(frame.length(), 40));
            if (start.startsWith(COMPLETED_EVENT_LINE) || start.startsWith(INCOMPLETE_EVENT_LINE)) {
                Buffer before = held;
                held = frame;
                return before == null ? NOTHING : before;
            }
            if (held != null) {
                Buffer out = Buffer.buffer().appendBuffer(held).appendBuffer(frame);
                held = null;
                return out;
            }
            return frame;
        }

        @Override
        public Buffer end() {
            if (held == null) {
                return NOTHING;
            }
            JsonNode data = data(held);
            if (data != null && data.get("response") instanceof ObjectNode response) {
                finalResponse = response;
            }
            terminal = held;
            held = null;
            return terminal;
        }

        @Override
        public Buffer failure(ApiException failure) {
            return frames(new ResponseStream(shell, names, ids).onError(failure));
        }

        private Buffer withCost(Buffer frame, ObjectNode usage) {
            JsonNode data = data(frame);
            if (data instanceof ObjectNode event && event.get("response") instanceof ObjectNode response
                    && addCost(response, usage)) {
                return frame(event);
            }
            return frame;
        }
    }

    /** Chat chunks translated into the Responses events as they come. */
    private final class Translating implements StreamWriter {
        private final ResponseStream events = new ResponseStream(shell, names, ids);
        private boolean started;

        @Override
        public Buffer chunk(ChatChunk chunk) {
            if (chunk.carrier()) {
                return NOTHING;
            }
            Buffer out = Buffer.buffer();
            if (!started) {
                started = true;
                append(out, events.start());
            }
            append(out, events.onChunk(chunk.json()));
            return out.length() == 0 ? NOTHING : out;
        }

        @Override
        public Buffer end() {
            Buffer out = Buffer.buffer();
            if (!started) {
                started = true;
                append(out, events.start());
            }
            append(out, events.onEnd());
            finalResponse = events.response();
            terminal = out;
            return out;
        }

        @Override
        public Buffer failure(ApiException failure) {
            Buffer out = Buffer.buffer();
            if (!started) {
                started = true;
                append(out, events.start());
            }
            append(out, events.onError(failure));
            return out;
        }
    }

    private Buffer frames(List<ObjectNode> events) {
        Buffer out = Buffer.buffer();
        append(out, events);
        return out;
    }

    private void append(Buffer out, List<ObjectNode> events) {
        for (ObjectNode e : events) {
            out.appendBuffer(frame(e));
        }
    }

    /** One server-sent event as OpenAI writes them: the type on an {@code event:} line, then the JSON. */
    private Buffer frame(ObjectNode event) {
        byte[] json = encode(event);
        String type = event.path("type").asText();
        return Buffer.buffer(json.length + type.length() + 18).appendString("event: ").appendString(type)
                .appendString("\ndata: ").appendBytes(json).appendString("\n\n");
    }

    /** Copies Sluice's cost of the exchange into a Response's usage; false when there is none to add. */
    private static boolean addCost(ObjectNode response, JsonNode chatUsage) {
        JsonNode cost = chatUsage == null ? null : chatUsage.get("cost");
        if (cost == null || !(response.get("usage") instanceof ObjectNode usage)) {
            return false;
        }
        usage.set("cost", cost);
        return true;
    }

    private JsonNode data(Buffer frame) {
        String text = frame.toString();
        int at = text.indexOf("data: ");
        if (at < 0) {
            return null;
        }
        int end = text.indexOf("\n\n", at);
        try {
            return mapper.readTree(text.substring(at + 6, end < 0 ? text.length() : end).replace("\ndata: ", "\n"));
        } catch (IOException e) {
            return null;
        }
    }

    private ObjectNode parse(Buffer bytes) {
        try {
            return mapper.readTree(bytes.getBytes()) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }
}
