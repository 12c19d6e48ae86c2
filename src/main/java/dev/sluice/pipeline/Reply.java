package dev.sluice.pipeline;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/**
 * What the pipeline hands back to the HTTP layer: the response headers (content type included) and the body as
 * a stream of byte chunks; a whole JSON response is a single chunk.
 */
public record Reply(Map<String, List<String>> headers, Multi<Buffer> body) {
}
