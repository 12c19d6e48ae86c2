package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One {@code chat.completion.chunk}, held as the bytes the upstream sent and parsed only if someone looks inside.
 * A chunk nobody touched is forwarded byte for byte; one that was read through {@link #edit()} is re-encoded.
 */
public final class ChatChunk {

    private final ObjectMapper mapper;
    private Buffer raw;
    private ObjectNode json;
    private boolean dropped;

    private ChatChunk(ObjectMapper mapper, Buffer raw, ObjectNode json) {
        this.mapper = mapper;
        this.raw = raw;
        this.json = json;
    }

    /** A chunk received as JSON bytes (OpenAI-compatible upstreams). */
    public static ChatChunk ofRaw(ObjectMapper mapper, Buffer raw) {
        return new ChatChunk(mapper, raw, null);
    }

    /** A chunk built by a translating adapter. */
    public static ChatChunk of(ObjectMapper mapper, ObjectNode json) {
        return new ChatChunk(mapper, null, json);
    }

    /** The chunk as JSON, for reading. */
    public ObjectNode json() {
        if (json == null) {
            try {
                json = (ObjectNode) mapper.readTree(raw.getBytes());
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("chunk is not a JSON object", e);
            }
        }
        return json;
    }

    /** The chunk as JSON, for changing: it will be re-encoded. */
    public ObjectNode edit() {
        ObjectNode node = json();
        raw = null;
        return node;
    }

    /** Whether the raw bytes contain this ASCII text; a cheap test before parsing. */
    public boolean rawContains(String text) {
        if (raw == null) {
            return json.toString().contains(text);
        }
        int n = text.length();
        outer:
        for (int i = 0, last = raw.length() - n; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                if (raw.getByte(i + j) != (byte) text.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Leaves the chunk out of what the client receives. */
    public void drop() {
        dropped = true;
    }

    public boolean dropped() {
        return dropped;
    }

    /** The JSON bytes to send. */
    public Buffer encoded() {
        if (raw == null) {
            try {
                raw = Buffer.buffer(mapper.writeValueAsBytes(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return raw;
    }
}
