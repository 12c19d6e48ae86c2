package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.UpstreamException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request path of the gateway: resolve the model, run the interceptors, call the provider, relay the answer
 * (whole or streamed) and finish the exchange before its last bytes leave. Everything here is non-blocking.
 *
 * <p>Streams are relayed chunk by chunk as they arrive, never buffered. A failure before the first byte keeps
 * its status and JSON body; after it, the client receives its protocol's error event and the stream ends. A
 * client that goes away cancels the upstream request.
 *
 * <p>What the client receives is written by the {@link ClientProtocol} it spoke (OpenAI chat unless its ingress
 * declared another with {@link Exchange#speaking}); the pipeline itself handles OpenAI completions and chunks
 * only.
 */
@ApplicationScoped
public class Pipeline {

    public static final String OVERHEAD_HEADER = "x-sluice-overhead-ms";
    public static final String PROVIDER_HEADER = "x-sluice-provider";
    private static final List<String> JSON = List.of("application/json");
    private static final List<String> SSE = List.of("text/event-stream; charset=utf-8");

    private final Dispatcher dispatcher;
    private final ClientProtocol openAi;
    private final List<ExchangeInterceptor> interceptors;

    @Inject
    public Pipeline(Dispatcher dispatcher, ObjectMapper mapper, Instance<ExchangeInterceptor> interceptors) {
        this.dispatcher = dispatcher;
        this.openAi = new OpenAiChatProtocol(mapper);
        List<ExchangeInterceptor> sorted = new ArrayList<>();
        for (ExchangeInterceptor i : interceptors) {
            if (i.active()) {
                sorted.add(i);
            }
        }
        sorted.sort(Comparator.comparing(ExchangeInterceptor::stage));
        this.interceptors = List.copyOf(sorted);
    }

    /** A non-streaming chat completion or an embeddings call. */
    public Uni<Reply> complete(Exchange exchange) {
        return prepare(exchange)
                .chain(() -> {
                    LocalAnswer local = exchange.get(LocalAnswer.KEY);
                    return local != null ? Uni.createFrom().item(local.completion()) : dispatcher.complete(exchange);
                })
                .invoke(response -> {
                    JsonNode usage = response.get("usage");
                    if (usage instanceof ObjectNode u) {
                        exchange.usage(u);
                    }
                    for (ExchangeInterceptor i : interceptors) {
                        i.onResponse(exchange, response);
                    }
                })
                .call(response -> finish(exchange, Outcome.succeeded()))
                .onFailure().call(f -> finish(exchange, Outcome.failed(f)))
                .onCancellation().call(() -> finish(exchange, Outcome.aborted()))
                .map(response -> Reply.whole(headers(exchange, JSON), protocol(exchange).whole(exchange, response)));
    }

    /**
     * A request refused before the pipeline (its body could not be read): finished like any other exchange, so
     * that it is recorded and its response carries its key's headers, then failed with its own error.
     */
    public Uni<Reply> reject(Exchange exchange, ApiException failure) {
        return Uni.createFrom().deferred(() -> finish(exchange, Outcome.failed(failure)))
                .onItemOrFailure().transformToUni((done, f) -> Uni.createFrom().failure(f != null ? f : failure));
    }

    /** A streaming chat completion: the Uni completes when the upstream has accepted the request. */
    public Uni<Reply> stream(Exchange exchange) {
        return prepare(exchange)
                .chain(() -> {
                    LocalAnswer local = exchange.get(LocalAnswer.KEY);
                    return local != null ? Uni.createFrom().item(local.stream()) : dispatcher.stream(exchange);
                })
                .onFailure().call(f -> finish(exchange, Outcome.failed(f)))
                .onCancellation().call(() -> finish(exchange, Outcome.aborted()))
                .map(stream -> Reply.stream(headers(exchange, SSE), events(exchange, stream)));
    }

    /** The protocol the exchange's client spoke: OpenAI chat unless its ingress said otherwise (or no exchange). */
    public ClientProtocol protocol(Exchange exchange) {
        ClientProtocol p = exchange == null ? null : exchange.protocol();
        return p != null ? p : openAi;
    }

    private Multi<Buffer> events(Exchange exchange, ChatStream stream) {
        ClientProtocol.StreamWriter writer = protocol(exchange).streamWriter(exchange, stream);
        Multi<Buffer> chunks = stream.chunks()
                .map(chunk -> {
                    exchange.markChunk();
                    if (chunk.carrier()) {
                        // an upstream event relayed as it came, with no OpenAI content for interceptors
                        return writer.chunk(chunk);
                    }
                    if (chunk.rawContains("\"usage\"") && chunk.json().get("usage") instanceof ObjectNode u) {
                        exchange.usage(u);
                    }
                    for (ExchangeInterceptor i : interceptors) {
                        i.onChunk(exchange, chunk);
                    }
                    return writer.chunk(chunk);
                })
                .select().where(bytes -> bytes != ClientProtocol.NOTHING);
        Multi<Buffer> done = Multi.createFrom().uni(
                        Uni.createFrom().deferred(() -> finish(exchange, Outcome.succeeded())).replaceWith(writer::end))
                .select().where(bytes -> bytes != ClientProtocol.NOTHING);
        return Multi.createBy().concatenating().streams(chunks, done)
                .onFailure().recoverWithMulti(f -> Multi.createFrom().uni(
                        Uni.createFrom().deferred(() -> finish(exchange, Outcome.failed(f)))
                                .onFailure().recoverWithNull()
                                .replaceWith(() -> writer.failure(streamFailure(exchange, f)))))
                .onCancellation().call(() -> finish(exchange, Outcome.aborted()));
    }

    /**
     * Resolves the model and runs every interceptor's {@code beforeUpstream}, in order; a throw is a failure. Once
     * one has answered the exchange itself ({@link LocalAnswer}), the rest are skipped: nothing will go upstream.
     */
    private Uni<Void> prepare(Exchange exchange) {
        return Uni.createFrom().deferred(() -> {
            dispatcher.resolve(exchange);
            Uni<Void> chain = ExchangeInterceptor.CONTINUE;
            for (ExchangeInterceptor i : interceptors) {
                chain = chain == ExchangeInterceptor.CONTINUE ? beforeUpstream(i, exchange)
                        : chain.chain(() -> beforeUpstream(i, exchange));
            }
            return chain;
        });
    }

    private static Uni<Void> beforeUpstream(ExchangeInterceptor interceptor, Exchange exchange) {
        return exchange.get(LocalAnswer.KEY) != null ? ExchangeInterceptor.CONTINUE
                : interceptor.beforeUpstream(exchange);
    }

    /** Runs every interceptor's {@code onFinish} once, in order. */
    private Uni<Void> finish(Exchange exchange, Outcome outcome) {
        if (!exchange.markFinished()) {
            return ExchangeInterceptor.CONTINUE;
        }
        if (outcome.status() == Outcome.Status.FAILED) {
            logFailure(exchange, outcome.failure());
        }
        Uni<Void> chain = ExchangeInterceptor.CONTINUE;
        for (ExchangeInterceptor i : interceptors) {
            chain = chain == ExchangeInterceptor.CONTINUE ? i.onFinish(exchange, outcome)
                    : chain.chain(() -> i.onFinish(exchange, outcome));
        }
        if (chain == ExchangeInterceptor.CONTINUE) {
            return chain;
        }
        // The chain runs to its end even if the client goes away while it is under way (while the ledger line
        // commits, say): cancelling the caller's subscription would otherwise skip the interceptors still to
        // come — the request would be charged but missing from the metrics. The caller only stops waiting.
        Uni<Void> running = chain.memoize().indefinitely();
        running.subscribe().with(done -> { }, failure -> { });
        return running;
    }

    private Map<String, List<String>> headers(Exchange exchange, List<String> contentType) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (exchange.target() != null) {
            headers.put(PROVIDER_HEADER, List.of(exchange.target().provider().name()));
        }
        exchange.responseHeaders().forEach((k, v) -> headers.put(k, List.of(v)));
        long overhead = exchange.overheadNanos();
        exchange.reportOverhead(overhead);
        headers.put(OVERHEAD_HEADER, List.of(millis(overhead)));
        return headers;
    }

    /** Milliseconds with microsecond precision, e.g. {@code 0.184}. */
    public static String millis(long nanos) {
        long micros = nanos / 1000;
        long frac = micros % 1000;
        return (micros / 1000) + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    private static ApiException streamFailure(Exchange exchange, Throwable f) {
        return Failures.asApi(f, exchange.requestId());
    }

    private static void logFailure(Exchange exchange, Throwable f) {
        if (f instanceof UpstreamException u) {
            Log.warnf("Provider %s failed (%s, HTTP %d): %s", u.provider(), u.kind(), u.upstreamStatus(),
                    u.getMessage());
        } else if (f instanceof ApiException a) {
            Log.debugf("Refused: %d %s", a.status(), a.getMessage());
        } else {
            Log.errorf("Failed: %s", Secrets.redact(String.valueOf(f)));
        }
    }
}
