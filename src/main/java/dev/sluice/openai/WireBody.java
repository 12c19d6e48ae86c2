package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * A client request body as received: the JSON tree (the source of truth, forwarded to OpenAI-compatible
 * upstreams with every field intact, known or not) plus a typed, validated view of it.
 *
 * <p>As long as nothing edited the tree, the exact bytes the client sent are forwarded, with only the
 * {@code model} value spliced when the upstream model name differs: no re-serialisation on the common path.
 *
 * @param <V> the typed view
 */
public class WireBody<V> {

    private final ObjectNode body;
    private final Function<ObjectNode, V> viewer;
    private byte[] raw;
    private final int receivedSize;
    private V view;

    protected WireBody(byte[] raw, ObjectNode body, V view, Function<ObjectNode, V> viewer) {
        this.raw = raw;
        this.receivedSize = raw == null ? 0 : raw.length;
        this.body = body;
        this.view = view;
        this.viewer = viewer;
    }

    /** How many bytes the client sent (0 when the body was built, not received). */
    public int receivedSize() {
        return receivedSize;
    }

    /** The JSON tree, for reading. Use {@link #edit()} to change it. */
    public ObjectNode body() {
        return body;
    }

    /** The JSON tree, for changing; the original bytes are no longer forwarded and the view is re-derived. */
    public ObjectNode edit() {
        raw = null;
        view = null;
        return body;
    }

    public V view() {
        if (view == null) {
            view = viewer.apply(body);
        }
        return view;
    }

    public String model() {
        return body.path("model").asText();
    }

    /** Whether the body is still exactly what the client sent. */
    public boolean pristine() {
        return raw != null;
    }

    /** The body to send to an OpenAI-compatible upstream, with {@code model} set to the upstream's name. */
    public byte[] encodeFor(String upstreamModel, ObjectMapper mapper) {
        try {
            if (raw != null) {
                if (upstreamModel.equals(model())) {
                    return raw;
                }
                byte[] spliced = spliceModel(raw, upstreamModel, mapper);
                if (spliced != null) {
                    return spliced;
                }
            }
            ObjectNode copy = body.objectNode();
            copy.setAll(body);
            copy.put("model", upstreamModel);
            return mapper.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the top-level "model" string in raw JSON bytes; null if it cannot be located unambiguously. */
    public static byte[] spliceModel(byte[] raw, String model, ObjectMapper mapper) throws IOException {
        JsonFactory factory = mapper.getFactory();
        long start = -1;
        long end = -1;
        try (JsonParser p = factory.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    start = p.currentTokenLocation().getByteOffset();
                    p.getText(); // completes the token, so that the location is past its closing quote
                    end = p.currentLocation().getByteOffset();
                } else {
                    p.skipChildren();
                }
            }
        }
        if (start < 0 || end <= start || end > raw.length || raw[(int) start] != '"' || raw[(int) end - 1] != '"') {
            return null;
        }
        byte[] quoted = mapper.writeValueAsBytes(model);
        byte[] out = new byte[raw.length - (int) (end - start) + quoted.length];
        System.arraycopy(raw, 0, out, 0, (int) start);
        System.arraycopy(quoted, 0, out, (int) start, quoted.length);
        System.arraycopy(raw, (int) end, out, (int) start + quoted.length, raw.length - (int) end);
        return out;
    }
}
