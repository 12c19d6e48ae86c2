package dev.sluice.cache;

import dev.sluice.pipeline.OnContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.secrets.Secrets;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.pipeline.Outcome;
import dev.sluice.pipeline.Stage;
import dev.sluice.openai.ChatChunk;
import dev.sluice.pipeline.WebExtractUse;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;

/**
 * The exact response cache on the request path of OpenAI chat completions. Before the upstream call it reads the
 * client's directive (header or {@code cache} body object, which it removes so that no upstream sees it), decides
 * with the key's setting whether the request uses the cache, and looks its answer up: a hit answers the exchange
 * ({@link LocalAnswer}) and nothing goes upstream. A miss keeps the answer as it passes (whole, or assembled from
 * the stream's chunks) and stores it once the exchange succeeded, before the response's last bytes leave (so the
 * client's next identical request hits), waiting at most {@link #STORE_WAIT} for it.
 *
 * <p>Requests with {@code web_extract} bypass the cache: their answer rests on pages fetched at the time, which
 * the request does not hold. Requests of other ingresses (Anthropic Messages, OpenAI Responses) bypass the cache: their answer may be the
 * upstream's own bytes relayed as they came, which the internal completion does not fully hold.
 */
@ApplicationScoped
public class ResponseCacheInterceptor implements ExchangeInterceptor {

    /** The client's {@code x-sluice-cache} header, put on the exchange by the route that read it. */
    public static final Exchange.Key<String> REQUESTED = new Exchange.Key<>("sluice.cache.requested", String.class);
    static final Exchange.Key<Miss> MISS = new Exchange.Key<>("sluice.cache.miss", Miss.class);
    static final String HIT = "hit";
    static final String MISSED = "miss";
    static final String BYPASS = "bypass";
    /** The longest a response waits for its answer to be stored. */
    static final Duration STORE_WAIT = Duration.ofSeconds(1);
    /** Bodies above this are hashed on a worker thread, not on the event loop. */
    static final int HASH_INLINE_BYTES = 64 * 1024;

    /** A request that missed: where its answer goes, for how long, and the answer as it passes. */
    static final class Miss {
        final String key;
        final Duration ttl;
        final StreamAssembly assembly;
        ObjectNode whole;

        Miss(String key, Duration ttl, StreamAssembly assembly) {
            this.key = key;
            this.ttl = ttl;
            this.assembly = assembly;
        }
    }

    @Inject
    CacheConfig config;
    @Inject
    ResponseCache cache;
    @Inject
    ObjectMapper mapper;

    @Override
    public Stage stage() {
        return Stage.CACHE;
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.operation() != Exchange.Operation.CHAT || exchange.chat() == null) {
            return CONTINUE;
        }
        JsonNode bodyDirective = exchange.chat().body().get(CacheDirective.FIELD);
        if (bodyDirective != null) {
            // Sluice's own field: never sent upstream, whatever becomes of the request
            exchange.chat().edit().remove(CacheDirective.FIELD);
        }
        if (!config.enabled() || exchange.protocol() != null) {
            return CONTINUE;
        }
        CacheDirective directive = CacheDirective.of(exchange.get(REQUESTED), bodyDirective);
        boolean keyDefault = exchange.caller() != null && exchange.caller().details(VirtualKey.class)
                .map(k -> k.record().cache()).orElse(false);
        ObjectNode body = exchange.chat().body();
        CachePolicy.Decision decision = CachePolicy.decide(directive, keyDefault, body);
        if (decision == CachePolicy.Decision.USE
                && (exchange.target() == null || WebExtractUse.plan(exchange).pages() > 0)) {
            // with web_extract the answer rests on pages fetched now, which are not part of the request
            decision = CachePolicy.Decision.BYPASS;
        }
        if (decision == CachePolicy.Decision.OFF) {
            return CONTINUE;
        }
        if (decision == CachePolicy.Decision.BYPASS) {
            exchange.responseHeaders().put(CacheDirective.HEADER, BYPASS);
            cache.count(ResponseCache.Lookup.BYPASS);
            return CONTINUE;
        }
        Duration ttl = directive.ttlOr(config.defaultTtl(), config.maxTtl());
        String scope = config.namespace().map(String::strip).filter(s -> !s.isEmpty()).map(n -> "ns:" + n)
                .orElseGet(() -> "key:" + (exchange.caller() == null ? "" : exchange.caller().keyId()));
        String served = exchange.target().qualified();
        Context context = Vertx.currentContext();
        Uni<String> key = exchange.chat().receivedSize() > HASH_INLINE_BYTES
                ? Uni.createFrom().item(() -> CacheKey.of(scope, served, body))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : Uni.createFrom().item(CacheKey.of(scope, served, body));
        return key.chain(k -> cache.store().get(k)
                        .onFailure().recoverWithItem(f -> {
                            Log.warnf("Response cache lookup failed (served as a miss): %s",
                                    Secrets.redact(String.valueOf(f.getMessage())));
                            return null;
                        })
                        .map(bytes -> {
                            ObjectNode stored = bytes == null ? null : parse(bytes);
                            if (stored != null) {
                                exchange.put(LocalAnswer.KEY, new CachedAnswer(stored, mapper,
                                        config.hitCost() == CacheConfig.HitCost.FULL));
                                exchange.responseHeaders().put(CacheDirective.HEADER, HIT);
                                cache.count(ResponseCache.Lookup.HIT);
                            } else {
                                exchange.put(MISS, new Miss(k, ttl,
                                        exchange.streaming() ? new StreamAssembly(mapper) : null));
                                exchange.responseHeaders().put(CacheDirective.HEADER, MISSED);
                                cache.count(ResponseCache.Lookup.MISS);
                            }
                            return null;
                        }))
                .emitOn(OnContext.of(context))
                .replaceWithVoid();
    }

    private ObjectNode parse(byte[] bytes) {
        try {
            return mapper.readTree(bytes) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            Log.warnf("Response cache entry unreadable (served as a miss): %s", e.getMessage());
            return null;
        }
    }

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        Miss miss = exchange.get(MISS);
        if (miss != null) {
            miss.whole = response.deepCopy();
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Miss miss = exchange.get(MISS);
        if (miss != null && miss.assembly != null) {
            miss.assembly.add(chunk.json());
        }
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        Miss miss = exchange.get(MISS);
        if (miss == null || outcome.status() != Outcome.Status.SUCCEEDED) {
            return CONTINUE;
        }
        ObjectNode answer = miss.assembly != null
                ? miss.assembly.completion(exchange.usage().map(ObjectNode::deepCopy).orElse(null))
                : miss.whole;
        if (answer == null || !finished(answer)) {
            return CONTINUE;
        }
        if (answer.get("usage") instanceof ObjectNode usage) {
            // what this request cost is not part of the answer another request receives
            usage.remove("cost");
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(answer);
        } catch (IOException e) {
            return CONTINUE;
        }
        if (bytes.length > config.maxEntryBytes().asLongValue()) {
            return CONTINUE;
        }
        // stored before the last bytes leave, so that the client's next identical request hits (on Redis too);
        // a store that fails or is slow is given up, never the response
        Context context = Vertx.currentContext();
        return cache.store().put(miss.key, bytes, miss.ttl)
                .ifNoItem().after(STORE_WAIT).failWith(() -> new IllegalStateException("no answer within "
                        + STORE_WAIT.toMillis() + " ms"))
                .onFailure().invoke(f -> Log.warnf("Response cache store failed: %s",
                        Secrets.redact(String.valueOf(f.getMessage()))))
                .onFailure().recoverWithNull()
                .emitOn(OnContext.of(context));
    }

    /** Every choice has a finish reason: the answer is complete. */
    private static boolean finished(ObjectNode answer) {
        JsonNode choices = answer.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return false;
        }
        for (JsonNode c : choices) {
            if (!c.hasNonNull("finish_reason")) {
                return false;
            }
        }
        return true;
    }
}
