package dev.sluice.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One {@code chat.completion.chunk}, held as the bytes the upstream sent and parsed only if someone looks inside.
 * A chunk nobody touched is forwarded byte for byte; one that was read through {@link #edit()} is re-encoded.
 *
 * <p>When the upstream was passed the client's own request ({@link Passthrough}), a chunk also carries the
 * upstream's event as it came ({@link #nativeFrame()}), which is what the client receives; an upstream event that
 * translates to no OpenAI chunk (a keep-alive, the end of a block) travels on a <em>carrier</em>: a chunk with
 * an empty JSON object that interceptors never see.
 */
public final class ChatChunk {

    private final ObjectMapper mapper;
    private Buffer raw;
    private ObjectNode json;
    private boolean dropped;
    private Buffer nativeFrame;
    private boolean carrier;

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

    /** A chunk that only carries an upstream event of a passed-through stream to the client. */
    public static ChatChunk carrier(ObjectMapper mapper, Buffer nativeFrame) {
        ChatChunk chunk = new ChatChunk(mapper, null, mapper.createObjectNode());
        chunk.nativeFrame = nativeFrame;
        chunk.carrier = true;
        return chunk;
    }

    /** Attaches the upstream event this chunk was translated from, relayed as it came in a passed-through stream. */
    public ChatChunk withNativeFrame(Buffer frame) {
        this.nativeFrame = frame;
        return this;
    }

    /** The upstream's own bytes for this chunk (a whole event, framing included), or null. */
    public Buffer nativeFrame() {
        return nativeFrame;
    }

    /** Whether this chunk exists only to carry {@link #nativeFrame()}: no OpenAI content, not for interceptors. */
    public boolean carrier() {
        return carrier;
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
