package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.http.HttpClientResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The JSON-over-HTTP calls of one provider, shared by every adapter: a whole call bounded by the provider's
 * timeout, or a stream opened and handed over once the upstream accepted it. Non-2xx answers become
 * {@link UpstreamException}s through the protocol's {@link ErrorReader}; time spent waiting on the upstream is
 * added to the exchange's clock so that Sluice's own overhead can be reported.
 *
 * <p>Adapters keep only what is protocol-specific (URLs, headers, translation) and call this for the rest.
 */
public final class JsonUpstream {

    /** How a protocol reports failures. */
    @FunctionalInterface
    public interface ErrorReader {

        /** The error for a non-2xx answer (or an error reported in a 2xx body). */
        UpstreamException read(int status, java.util.function.Function<String, String> header, byte[] body);

        /** Whether a 2xx JSON body is in fact an error report; such a body is read as a 502. */
        default boolean isError(ObjectNode body) {
            return false;
        }
    }

    private final String provider;
    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final Duration streamIdleTimeout;
    private final Duration connectTimeout;
    private final ErrorReader errors;

    /**
     * The client for one provider (or deployment) with its own timeouts: {@code timeout} for a whole call, its
     * stream idle and connect timeouts when set, else {@code defaultStreamIdleTimeout} and the client's default.
     */
    public JsonUpstream(ProviderSettings settings, UpstreamHttp http, ObjectMapper mapper,
                        Duration defaultStreamIdleTimeout, ErrorReader errors) {
        this.provider = settings.name();
        this.http = http;
        this.mapper = mapper;
        this.timeout = settings.timeout();
        this.streamIdleTimeout = settings.streamIdleTimeout().orElse(defaultStreamIdleTimeout);
        this.connectTimeout = settings.connectTimeout().orElse(null);
        this.errors = errors;
    }

    /**
     * @param timeout           a whole non-streaming call, response body included
     * @param streamIdleTimeout the longest silence of a stream, before its headers and between its events
     */
    public JsonUpstream(String provider, UpstreamHttp http, ObjectMapper mapper, Duration timeout,
                        Duration streamIdleTimeout, ErrorReader errors) {
        this.provider = provider;
        this.http = http;
        this.mapper = mapper;
        this.timeout = timeout;
        this.streamIdleTimeout = streamIdleTimeout;
        this.connectTimeout = null;
        this.errors = errors;
    }

    /** OpenAI's error format, read by {@link UpstreamErrors}; also the fallback of other protocols. */
    public static ErrorReader openAiErrors(String provider, ObjectMapper mapper) {
        return new ErrorReader() {
            @Override
            public UpstreamException read(int status, java.util.function.Function<String, String> header, byte[] body) {
                return UpstreamErrors.from(provider, status, header, body, mapper);
            }

            @Override
            public boolean isError(ObjectNode body) {
                return body.hasNonNull("error") && !body.has("choices") && !body.has("data");
            }
        };
    }

    /**
     * A whole call: the JSON object answered, within the provider's timeout.
     *
     * @param context the exchange's clock, or null for calls outside an exchange (model lists)
     */
    public Uni<ObjectNode> call(HttpMethod method, String url, Map<String, String> headers, byte[] body,
                                CallContext context) {
        return call(method, url, headers, body, context, null);
    }

    /**
     * Like {@link #call(HttpMethod, String, Map, byte[], CallContext)}, handing the answer's bytes as they came to
     * {@code keepBody} too (a passed-through answer is relayed as it came).
     */
    public Uni<ObjectNode> call(HttpMethod method, String url, Map<String, String> headers, byte[] body,
                                CallContext context, java.util.function.Consumer<Buffer> keepBody) {
        long sent = System.nanoTime();
        Uni<ObjectNode> call = http.send(provider, method, url, headers, body, timeout, connectTimeout)
                .chain(response -> readJson(response, keepBody))
                .onItemOrFailure().invoke((item, failure) -> {
                    if (context != null) {
                        context.addUpstreamTime(System.nanoTime() - sent);
                    }
                });
        return call.ifNoItem().after(timeout).failWith(() -> UpstreamException.timeout(provider,
                "no complete answer within " + timeout.toSeconds() + "s"));
    }

    /**
     * Opens a stream: the response once the upstream accepted the request (2xx), its body still to be read. A
     * refusal fails with the protocol's error, keeping its real status.
     */
    public Uni<HttpClientResponse> open(String url, Map<String, String> headers, byte[] body, CallContext context) {
        long sent = System.nanoTime();
        return http.send(provider, HttpMethod.POST, url, headers, body, streamIdleTimeout, connectTimeout)
                .chain(response -> {
                    if (context != null) {
                        context.addUpstreamTime(System.nanoTime() - sent);
                    }
                    if (response.statusCode() / 100 != 2) {
                        return http.body(provider, response).map(buf -> {
                            throw errors.read(response.statusCode(), response::getHeader, buf.getBytes());
                        });
                    }
                    return Uni.createFrom().item(response);
                });
    }

    /** Whether an accepted stream answered with a whole JSON document instead of events. */
    public static boolean isJson(HttpClientResponse response) {
        String type = response.getHeader("content-type");
        return type != null && type.startsWith("application/json");
    }

    /** The body of an accepted stream as server-sent events, each emitted as soon as it is complete. */
    public Multi<SseEvent> events(HttpClientResponse response) {
        return SseParser.events(body(response));
    }

    /** The raw body of an accepted stream as it arrives (for protocols that do not frame events as SSE). */
    public Multi<Buffer> body(HttpClientResponse response) {
        return http.stream(provider, response, streamIdleTimeout);
    }

    /** Reads a whole JSON object response; non-2xx statuses and error bodies become {@link UpstreamException}s. */
    public Uni<ObjectNode> readJson(HttpClientResponse response) {
        return readJson(response, null);
    }

    private Uni<ObjectNode> readJson(HttpClientResponse response, java.util.function.Consumer<Buffer> keepBody) {
        return http.body(provider, response).map(buf -> {
            byte[] bytes = buf.getBytes();
            if (response.statusCode() / 100 != 2) {
                throw errors.read(response.statusCode(), response::getHeader, bytes);
            }
            JsonNode root;
            try {
                root = mapper.readTree(bytes);
            } catch (IOException e) {
                throw UpstreamException.badResponse(provider, "the body is not JSON");
            }
            if (root == null || !root.isObject()) {
                throw UpstreamException.badResponse(provider, "expected a JSON object");
            }
            if (errors.isError((ObjectNode) root)) {
                throw errors.read(502, response::getHeader, bytes);
            }
            if (keepBody != null) {
                keepBody.accept(buf.getDelegate());
            }
            return (ObjectNode) root;
        });
    }

    public String provider() {
        return provider;
    }

    /** A translated request body as the bytes sent upstream. */
    public byte[] encode(ObjectNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a request for provider '" + provider + "'", e);
        }
    }

    /** Unix seconds: the {@code created} of an answer whose upstream gives no timestamp. */
    public static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
