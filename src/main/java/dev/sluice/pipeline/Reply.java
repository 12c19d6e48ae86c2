package dev.sluice.pipeline;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/**
 * What the pipeline hands back to the HTTP layer: the response headers (content type included) and the body,
 * either whole (a JSON answer, written at once with its length) or as a stream of byte chunks (server-sent
 * events, each written as it comes).
 */
public record Reply(Map<String, List<String>> headers, Buffer whole, Multi<Buffer> stream) {

    public static Reply whole(Map<String, List<String>> headers, Buffer body) {
        return new Reply(headers, body, null);
    }

    public static Reply stream(Map<String, List<String>> headers, Multi<Buffer> body) {
        return new Reply(headers, null, body);
    }

    public boolean streaming() {
        return stream != null;
    }
}
