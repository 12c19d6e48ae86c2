package dev.sluice.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ApiException;
import dev.sluice.api.RequestIds;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Outcome;
import dev.sluice.provider.ChatChunk;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import dev.sluice.store.Quotas;
import dev.sluice.store.StoreConfig;
import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Meters every request: prices it, enforces the key's rpm / tpm / max_parallel limits and reserves its
 * worst-case cost before it goes upstream, reports its cost in the response, and writes its ledger line before
 * the last bytes leave.
 *
 * <p>It reads only {@link Exchange#usage()} (OpenAI's {@code usage} object, which every provider adapter
 * produces, from a whole response or a stream's usage chunk) and the chunks relayed to the client, so settlement is
 * the same whatever protocol the provider speaks.
 *
 * <ul>
 *   <li>Reservation: prompt estimate + the output cap (the request's {@code max_tokens}, or
 *       {@code sluice.billing.reserve.default-output-tokens}; at most {@code max-output-tokens}; times {@code n}),
 *       priced at the model's price. Refused with 429 {@code insufficient_quota} when the balance minus what other
 *       requests hold cannot cover it.</li>
 *   <li>Streams always ask the upstream for usage ({@code stream_options.include_usage}); when the client did not
 *       ask for it, the usage chunk (and the {@code "usage": null} fields) are removed from what it receives.</li>
 *   <li>Settlement: the cost from the reported usage; without usage (a stream cut short), the prompt estimate plus
 *       the tokens of the text relayed so far. The ledger line and the balance change commit together (group
 *       commit); only then does the response end, and the reservation is released.</li>
 * </ul>
 */
@ApplicationScoped
public class MeteringInterceptor implements ExchangeInterceptor {

    /** Exchange attribute with the metering state of a request. */
    static final String STATE = "sluice.metering";
    /** Exchange attribute (an Integer) where web extraction reports the pages it fetched for the request. */
    public static final String COST_HEADER = "x-sluice-cost-usd";
    static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    static final String RESET_TOKENS = "x-ratelimit-reset-tokens";

    /** What metering knows about one request. */
    static final class Meter {
        VirtualKey key;
        Price price;
        long promptEstimate;
        long outputReserve;
        long tokensTaken;
        long reserveMicros;
        String leaseId;
        boolean admitted;
        boolean clientWantsUsage = true;
        final StringBuilder produced = new StringBuilder();
        Context context;
    }

    @Inject
    PriceTable prices;
    @Inject
    TokenEstimator estimator;
    @Inject
    Quotas quotas;
    @Inject
    Ledger ledger;
    @Inject
    KeyStore keys;
    @Inject
    BillingConfig config;
    @Inject
    StoreConfig storeConfig;

    private long extractPageMicros;

    @jakarta.annotation.PostConstruct
    void init() {
        extractPageMicros = Money.micros(config.webExtractPageUsd());
    }

    @Override
    public int order() {
        return 20;
    }

    // ---- before the upstream -----------------------------------------------------------------------------------

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        VirtualKey key = exchange.caller().details(VirtualKey.class).orElse(null);
        Price price = prices.find(exchange.target()).orElse(null);
        if (price == null && key != null) {
            return Uni.createFrom().failure(new ApiException(403, ApiException.PERMISSION, "model_not_priced", "model",
                    "The model '" + exchange.target().qualified() + "' has no price on this gateway, so it cannot be "
                            + "billed; an operator can set sluice.billing.prices.\"" + exchange.target().qualified()
                            + "\".input and .output"));
        }
        Meter m = new Meter();
        m.key = key;
        m.price = price;
        m.context = Vertx.currentContext();
        exchange.attribute(STATE, m);
        m.promptEstimate = estimator.prompt(exchange);
        m.outputReserve = exchange.operation() == Exchange.Operation.CHAT ? outputReserve(exchange) : 0;
        m.reserveMicros = price == null ? 0 : price.cost(m.promptEstimate, m.outputReserve);
        if (exchange.streaming()) {
            m.clientWantsUsage = exchange.chat().includeUsage();
            if (!m.clientWantsUsage) {
                ObjectNode body = exchange.chat().edit();
                JsonNode options = body.get("stream_options");
                ObjectNode o = options instanceof ObjectNode on ? on : body.putObject("stream_options");
                o.put("include_usage", true);
            }
        }
        if (key == null) {
            return CONTINUE;
        }
        Quotas.Limits limits = key.limits();
        long tokens = m.promptEstimate + m.outputReserve;
        m.tokensTaken = limits.tpmOr0() > 0 ? Math.min(tokens, limits.tpmOr0()) : tokens;
        boolean metered = !key.record().unlimited();
        if (!metered && limits.rpmOr0() == 0 && limits.tpmOr0() == 0 && limits.parallelOr0() == 0) {
            // nothing to check or hold for this key: no round trip to the quota store
            return CONTINUE;
        }
        m.leaseId = RequestIds.generate();
        Quotas.Request request = new Quotas.Request(key.id(), m.leaseId, limits, m.tokensTaken, m.reserveMicros,
                metered);
        return admit(exchange, m, request, true);
    }

    private long outputReserve(Exchange exchange) {
        JsonNode body = exchange.chat().body();
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        long perChoice = max != null && max.canConvertToLong() && max.asLong() > 0 ? max.asLong()
                : config.reserve().defaultOutputTokens();
        perChoice = Math.min(perChoice, config.reserve().maxOutputTokens());
        int n = Math.max(1, body.path("n").asInt(1));
        return perChoice * n;
    }

    private Uni<Void> admit(Exchange exchange, Meter m, Quotas.Request request, boolean firstTry) {
        return quotas.admit(request)
                .onFailure().transform(f -> {
                    Log.warnf("Rate-limit store failed for key %s: %s", request.keyId(), f.getMessage());
                    return new StoreUnavailableException("Rate limits cannot be checked right now; retry shortly", f);
                })
                .emitOn(on(m.context))
                .chain(a -> {
                    rateHeaders(exchange, request.limits(), a);
                    return switch (a.verdict()) {
                        case ADMITTED -> {
                            m.admitted = true;
                            yield CONTINUE;
                        }
                        case BALANCE_UNKNOWN -> firstTry ? loadBalance(request.keyId())
                                .emitOn(on(m.context))
                                .chain(() -> admit(exchange, m, request, false))
                                : Uni.createFrom().failure(new StoreUnavailableException(
                                "The balance of this key cannot be read right now; retry shortly", null));
                        case INSUFFICIENT_BALANCE -> Uni.createFrom().failure(new ApiException(429,
                                ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                                "You exceeded your current quota: this key has $" + Money.usdText(Math.max(0,
                                        a.availableMicros())) + " available, and this request may cost up to $"
                                        + Money.usdText(m.reserveMicros) + ". Add credit to the key, or lower max_tokens."));
                        case REQUESTS_EXHAUSTED -> rateLimited(a, "Rate limit reached: " + request.limits().rpm()
                                + " requests per minute for this key.");
                        case TOKENS_EXHAUSTED -> rateLimited(a, "Rate limit reached: " + request.limits().tpm()
                                + " tokens per minute for this key; this request needs about " + m.tokensTaken + ".");
                        case TOO_MANY_PARALLEL -> rateLimited(a, "Too many requests in parallel: at most "
                                + request.limits().maxParallel() + " at once for this key.");
                    };
                });
    }

    private Uni<Void> loadBalance(String keyId) {
        return Uni.createFrom().item(() -> keys.load(keyId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(f -> new StoreUnavailableException(
                        "The balance of this key cannot be read right now; retry shortly", f))
                .chain(found -> found.map(k -> quotas.balanceChanged(k.balance()))
                        .orElse(ExchangeInterceptor.CONTINUE));
    }

    private static Uni<Void> rateLimited(Quotas.Admission a, String message) {
        ApiException e = new ApiException(429, ApiException.RATE_LIMIT, "rate_limit_exceeded", null, message);
        long retry = Math.max(1, a.retryAfterMillis());
        e.withHeader("Retry-After", Long.toString((retry + 999) / 1000));
        e.withHeader("retry-after-ms", Long.toString(retry));
        return Uni.createFrom().failure(e);
    }

    private static void rateHeaders(Exchange exchange, Quotas.Limits limits, Quotas.Admission a) {
        if (limits.rpmOr0() > 0) {
            exchange.responseHeaders().put(LIMIT_REQUESTS, Integer.toString(limits.rpmOr0()));
            exchange.responseHeaders().put(REMAINING_REQUESTS, Long.toString(Math.max(0, a.remainingRequests())));
            exchange.responseHeaders().put(RESET_REQUESTS, duration(a.resetRequestsMillis()));
        }
        if (limits.tpmOr0() > 0) {
            exchange.responseHeaders().put(LIMIT_TOKENS, Integer.toString(limits.tpmOr0()));
            exchange.responseHeaders().put(REMAINING_TOKENS, Long.toString(Math.max(0, a.remainingTokens())));
            exchange.responseHeaders().put(RESET_TOKENS, duration(a.resetTokensMillis()));
        }
    }

    /** OpenAI's duration format: {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        BigDecimal seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros();
        String s = (seconds.signum() == 0 ? "0" : seconds.toPlainString()) + "s";
        return minutes > 0 ? minutes + "m" + s : s;
    }

    // ---- the response ------------------------------------------------------------------------------------------

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        Meter m = exchange.attribute(STATE);
        if (m == null) {
            return;
        }
        for (JsonNode choice : response.path("choices")) {
            collect(m, choice.path("message"));
        }
        if (m.price != null && response.get("usage") instanceof ObjectNode usage) {
            long cost = m.price.cost(Usage.of(usage)) + extractCost(exchange);
            usage.put("cost", Money.usd(cost));
            exchange.responseHeaders().put(COST_HEADER, Money.usdText(cost));
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Meter m = exchange.attribute(STATE);
        if (m == null) {
            return;
        }
        ObjectNode json = chunk.json();
        for (JsonNode choice : json.path("choices")) {
            collect(m, choice.path("delta"));
        }
        JsonNode usage = json.get("usage");
        if (usage == null) {
            return;
        }
        if (usage instanceof ObjectNode u) {
            if (m.clientWantsUsage) {
                if (m.price != null) {
                    ObjectNode edited = (ObjectNode) chunk.edit().get("usage");
                    edited.put("cost", Money.usd(m.price.cost(Usage.of(u)) + extractCost(exchange)));
                }
            } else if (json.path("choices").isEmpty()) {
                chunk.drop();
            } else {
                chunk.edit().remove("usage");
            }
        } else if (!m.clientWantsUsage) {
            chunk.edit().remove("usage");
        }
    }

    /** Keeps the generated text, to estimate what a stream produced if no usage ever arrives. */
    private static void collect(Meter m, JsonNode message) {
        if (!message.isObject()) {
            return;
        }
        append(m, message.get("content"));
        append(m, message.get("reasoning_content"));
        append(m, message.get("reasoning"));
        append(m, message.get("refusal"));
        if (message.get("tool_calls") instanceof ArrayNode calls) {
            for (JsonNode call : calls) {
                append(m, call.path("function").get("name"));
                append(m, call.path("function").get("arguments"));
            }
        }
    }

    private static void append(Meter m, JsonNode text) {
        if (text != null && text.isTextual()) {
            m.produced.append(text.asText());
        }
    }

    private long extractCost(Exchange exchange) {
        return extractPages(exchange) * extractPageMicros;
    }

    /** Pages read for the request's {@code web_extract} (retrieval runs before metering, see its order). */
    private static int extractPages(Exchange exchange) {
        return dev.sluice.rag.RetrievalInterceptor.usage(exchange).map(u -> u[0]).orElse(0);
    }

    // ---- settlement --------------------------------------------------------------------------------------------

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        Meter m = exchange.attribute(STATE);
        Context context = m != null ? m.context : Vertx.currentContext();
        boolean estimated = false;
        Usage usage;
        if (exchange.usage().isPresent()) {
            usage = Usage.of(exchange.usage().get());
        } else if (m != null && (m.produced.length() > 0 || exchange.context().upstreamNanos() > 0)) {
            // no usage reported: charge the prompt and what was produced (a stream cut short, a silent provider)
            boolean openAi = exchange.target() != null && "openai".equals(exchange.target().provider().name());
            long completion = estimator.completion(m.produced.toString(),
                    exchange.target() == null ? null : exchange.target().model(), openAi);
            usage = new Usage(m.promptEstimate, completion, 0, 0, 0);
            estimated = true;
        } else {
            usage = Usage.NONE;
        }
        Price price = m == null ? null : m.price;
        long cost = price == null ? 0 : price.cost(usage) + extractCost(exchange);
        VirtualKey key = m != null ? m.key : exchange.caller().details(VirtualKey.class).orElse(null);
        LedgerEntry entry = entry(exchange, outcome, usage, cost, key != null ? -cost : 0, price != null || m == null,
                estimated);
        Uni<Void> settled = ledger.append(entry)
                .chain(balance -> settle(m, key, usage, balance))
                .memoize().indefinitely();
        // settlement proceeds even if the client stops waiting for it
        settled.subscribe().with(v -> { }, f -> Log.errorf("Request %s: usage of key %s could not be recorded: %s",
                exchange.requestId(), exchange.caller().keyId(), f.getMessage()));
        Duration timeout = storeConfig.writeTimeout();
        return settled
                .ifNoItem().after(timeout).failWith(() -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", null))
                .onFailure(f -> !(f instanceof ApiException)).transform(f -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", f))
                .emitOn(on(context));
    }

    private Uni<Void> settle(Meter m, VirtualKey key, Usage usage, Balance balance) {
        if (key == null) {
            return CONTINUE;
        }
        if (m == null || !m.admitted) {
            return balance == null ? CONTINUE : quotas.balanceChanged(balance).onFailure().recoverWithNull();
        }
        return quotas.settle(new Quotas.Settlement(key.id(), m.leaseId, key.limits(), m.tokensTaken, usage.total(),
                        balance))
                .onFailure().invoke(f -> Log.warnf("Releasing the reservation of key %s failed (it expires by itself): %s",
                        key.id(), f.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static LedgerEntry entry(Exchange exchange, Outcome outcome, Usage usage, long cost, long amount,
                                     boolean priced, boolean estimated) {
        int status;
        String code = null;
        String result;
        switch (outcome.status()) {
            case SUCCEEDED -> {
                status = 200;
                result = "ok";
            }
            case ABORTED -> {
                status = 499;
                result = "aborted";
            }
            default -> {
                if (outcome.failure() instanceof ApiException a) {
                    status = a.status();
                    code = a.code();
                } else {
                    status = 500;
                    code = "internal_error";
                }
                result = "failed";
            }
        }
        int pages = extractPages(exchange);
        var target = exchange.target();
        return new LedgerEntry(LedgerEntry.newLineId(), System.currentTimeMillis(), LedgerEntry.REQUEST,
                exchange.caller().keyId(),
                exchange.requestId(), exchange.operation().name().toLowerCase(java.util.Locale.ROOT),
                exchange.requestedModel(), target == null ? null : target.provider().name(),
                target == null ? null : target.model(), target == null ? null : target.deployment(),
                exchange.streaming(), usage.prompt(), usage.completion(), usage.cached(), usage.reasoning(),
                pages, cost, amount, priced, estimated,
                (System.nanoTime() - exchange.startNanos()) / 1_000_000, status, result, code, null);
    }

    /** Continues on the request's Vert.x context (inline when already there). */
    static Executor on(Context context) {
        if (context == null) {
            return Runnable::run;
        }
        return command -> {
            if (Vertx.currentContext() == context) {
                command.run();
            } else {
                context.runOnContext(v -> command.run());
            }
        };
    }
}
