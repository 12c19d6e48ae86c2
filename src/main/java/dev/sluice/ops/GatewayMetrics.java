package dev.sluice.ops;

import dev.sluice.routing.ModelLabels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Outcome;
import dev.sluice.provider.UpstreamException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics for every exchange, recorded once when it finishes (exposed at {@code /q/metrics}):
 * <ul>
 *   <li>{@code sluice_requests_total{operation, model, provider, status}} — status is the HTTP status the client
 *       got, {@code 499} when it went away first;</li>
 *   <li>{@code sluice_request_duration_seconds{operation, provider, stream}} — whole exchange;</li>
 *   <li>{@code sluice_overhead_seconds{operation, stream}} — Sluice's own time (what {@code x-sluice-overhead-ms}
 *       reports), separate from {@code sluice_upstream_duration_seconds{provider}};</li>
 *   <li>{@code sluice_tokens_total{provider, model, type}} (prompt, completion, cached, reasoning) and
 *       {@code sluice_cost_usd_total{provider, model}} when the exchange was priced;</li>
 *   <li>{@code sluice_upstream_errors_total{provider, kind}}.</li>
 * </ul>
 * Model labels use the resolved {@code provider/model}, never the raw client string, and only for models an
 * upstream has served ({@link ModelLabels}); refused and unknown models count under {@code model="other"}, so that
 * no client can create series at will.
 */
@ApplicationScoped
public class GatewayMetrics implements ExchangeInterceptor {

    private static final Duration[] LATENCY_SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private static final Duration[] OVERHEAD_SLOS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(50)};

    private final MeterRegistry registry;
    private final ModelLabels labels;
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    public GatewayMetrics(MeterRegistry registry, ModelLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    @Override
    public Stage stage() {
        return Stage.METRICS;
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        String operation = exchange.operation() == Exchange.Operation.CHAT ? "chat" : "embeddings";
        String provider = exchange.target() == null ? "none" : exchange.target().provider().name();
        // a client-chosen name is a label value only once an upstream has served it (ModelLabels)
        String model = exchange.target() == null ? "unresolved"
                : labels.label(exchange.target().qualified(), outcome.status() == Outcome.Status.SUCCEEDED);
        Meters meters = this.meters.computeIfAbsent(new Key(operation, provider, model, exchange.streaming()),
                Meters::new);
        long total = System.nanoTime() - exchange.startNanos();

        meters.requests(status(outcome)).increment();
        meters.duration.record(total, TimeUnit.NANOSECONDS);
        long overhead = exchange.reportedOverheadNanos() >= 0 ? exchange.reportedOverheadNanos() : exchange.overheadNanos();
        meters.overhead.record(overhead, TimeUnit.NANOSECONDS);
        if (exchange.context().upstreamNanos() > 0) {
            meters.upstream.record(exchange.context().upstreamNanos(), TimeUnit.NANOSECONDS);
        }
        exchange.usage().ifPresent(usage -> tokens(usage, meters));
        if (outcome.failure() instanceof UpstreamException u) {
            counter("sluice_upstream_errors", "Upstream failures by kind",
                    Tags.of("provider", u.provider(), "kind", u.kind().name().toLowerCase())).increment();
        }
        return CONTINUE;
    }

    private void tokens(ObjectNode usage, Meters meters) {
        add(usage.path("prompt_tokens"), meters.promptTokens);
        add(usage.path("completion_tokens"), meters.completionTokens);
        add(usage.path("prompt_tokens_details").path("cached_tokens"), meters.cachedTokens);
        add(usage.path("completion_tokens_details").path("reasoning_tokens"), meters.reasoningTokens);
        JsonNode cost = usage.path("cost");
        if (cost.isNumber() && cost.asDouble() > 0) {
            meters.cost.increment(cost.asDouble());
        }
    }

    private static void add(JsonNode value, Counter counter) {
        if (value.isNumber() && value.asLong() > 0) {
            counter.increment(value.asLong());
        }
    }

    /** What one kind of exchange is counted under. */
    private record Key(String operation, String provider, String model, boolean stream) {
    }

    /**
     * The meters of one kind of exchange, registered the first time it is seen, so that recording an exchange
     * looks up one map entry rather than building and hashing tags for every meter.
     */
    private final class Meters {
        final Key key;
        final Timer duration;
        final Timer overhead;
        final Timer upstream;
        final Counter promptTokens;
        final Counter completionTokens;
        final Counter cachedTokens;
        final Counter reasoningTokens;
        final Counter cost;
        final Map<String, Counter> requests = new ConcurrentHashMap<>();

        Meters(Key k) {
            this.key = k;
            String stream = Boolean.toString(k.stream());
            duration = timer("sluice_request_duration", "Whole exchange, client view", LATENCY_SLOS,
                    Tags.of("operation", k.operation(), "provider", k.provider(), "stream", stream));
            overhead = timer("sluice_overhead", "Time Sluice itself spent, outside upstream calls", OVERHEAD_SLOS,
                    Tags.of("operation", k.operation(), "stream", stream));
            upstream = timer("sluice_upstream_duration", "Time waiting on upstreams (to the response head for "
                    + "streams)", LATENCY_SLOS, Tags.of("provider", k.provider()));
            promptTokens = tokenCounter(k, "prompt");
            completionTokens = tokenCounter(k, "completion");
            cachedTokens = tokenCounter(k, "cached");
            reasoningTokens = tokenCounter(k, "reasoning");
            cost = counter("sluice_cost_usd", "Cost charged, in US dollars",
                    Tags.of("provider", k.provider(), "model", k.model()));
        }

        Counter requests(String status) {
            return requests.computeIfAbsent(status, s -> counter("sluice_requests", "Client requests by outcome",
                    Tags.of("operation", key.operation(), "model", key.model(), "provider", key.provider(),
                            "status", s)));
        }
    }

    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

    private Counter tokenCounter(Key k, String type) {
        return counter("sluice_tokens", "Tokens by type", Tags.of("provider", k.provider(), "model", k.model(),
                "type", type));
    }

    private static String status(Outcome outcome) {
        return Integer.toString(outcome.httpStatus());
    }

    private Counter counter(String name, String description, Tags tags) {
        return counters.computeIfAbsent(tags.and("__name", name), t ->
                Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private Timer timer(String name, String description, Duration[] slos, Tags tags) {
        return timers.computeIfAbsent(tags.and("__name", name), t -> Timer.builder(name).description(description)
                .tags(tags).serviceLevelObjectives(slos).register(registry));
    }

}
