package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.money.Money;
import dev.sluice.money.Usage;
import dev.sluice.pipeline.TimeOrderedIds;
import dev.sluice.pipeline.WebExtractUse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.keys.VirtualKey;
import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Outcome;
import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UpstreamException;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.TokenEstimator;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import dev.sluice.store.Quotas;
import dev.sluice.store.StoreConfig;
import dev.sluice.store.StoreUnavailableException;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Meters every request: prices it, enforces the key's rpm / tpm / max_parallel limits and reserves its
 * worst-case cost before it goes upstream, reports its cost and its key's rate limits in the response, and writes
 * its ledger line before the last bytes leave.
 *
 * <p>It reads only {@link Exchange#usage()} (OpenAI's {@code usage} object, which every provider adapter
 * produces, from a whole response or a stream's usage chunk), the usage an adapter reported before a stream
 * ended, and the chunks relayed to the client, so settlement is the same whatever protocol the provider speaks.
 *
 * <ul>
 *   <li>Reservation (prepaid keys): the prompt estimate priced at the dearer of the input and cache-write prices,
 *       the web pages already extracted for the request, and its output, which Sluice caps on the upstream request
 *       so that it cannot exceed what was reserved ({@link OutputCap}). Refused with 429
 *       {@code insufficient_quota} when the balance minus what other requests hold cannot cover it. Unlimited keys
 *       and the master key reserve nothing and their requests go upstream unchanged.</li>
 *   <li>Streams always ask the upstream for usage ({@code stream_options.include_usage}); when the client did not
 *       ask for it, the usage chunk (and the {@code "usage": null} fields) are removed from what it receives.</li>
 *   <li>Settlement: the cost from the reported usage; without it (a stream cut short, a silent provider), the
 *       larger of the usage the provider reported so far completed with the tokens of the text relayed, and the
 *       prompt estimate plus those tokens. The ledger line and the balance change commit together (group
 *       commit); only then does the response end, and the reservation is released.</li>
 *   <li>An answer the pipeline did not get from an upstream ({@link LocalAnswer}: a response-cache hit) costs
 *       nothing unless it says it is billed; its ledger line is marked {@code cache_hit}.</li>
 *   <li>Every response to a non-streaming request (refusals after authentication included) carries
 *       {@code x-sluice-cost-usd}; every response to a key with an rpm or tpm limit carries OpenAI's rate-limit
 *       headers. A stream's headers leave before its cost is known: it reports the cost in its usage chunk.</li>
 * </ul>
 */
@ApplicationScoped
public class MeteringInterceptor implements ExchangeInterceptor {

    /** Exchange attribute with the metering state of a request. */
    static final Exchange.Key<Meter> STATE = new Exchange.Key<>("sluice.metering", Meter.class);
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
        /** The prompt estimate of the target last attempted. */
        long promptEstimate;
        /** What the pages retrieval may read for the request can cost (reserved before they are read). */
        long extractMicros;
        TargetCosts costs;
        OutputCap output;
        long tokensTaken;
        long reserveMicros;
        String leaseId;
        boolean admitted;
        boolean rateHeaders;
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
    @Inject
    Tracing tracing = Tracing.off();

    private long extractPageMicros;

    @jakarta.annotation.PostConstruct
    void init() {
        extractPageMicros = Money.micros(config.webExtractPageUsd());
    }

    @Override
    public Stage stage() {
        return Stage.METERING;
    }

    // ---- before the upstream -----------------------------------------------------------------------------------

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        VirtualKey key = exchange.caller().details(VirtualKey.class).orElse(null);
        Price price = prices.find(exchange.target()).orElse(null);
        Meter m = new Meter();
        m.key = key;
        m.price = price;
        m.context = Vertx.currentContext();
        exchange.put(STATE, m);
        // retrieval runs after admission (see Stage): reserve for the most it may read and inject, as planned
        WebExtractUse.Plan planned = WebExtractUse.plan(exchange);
        m.extractMicros = planned.pages() * extractPageMicros;
        m.costs = new TargetCosts(exchange, estimator, config.reserve(), planned.tokens());
        m.promptEstimate = m.costs.prompt(exchange.target());
        boolean chat = exchange.operation() == Exchange.Operation.CHAT;
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
        boolean metered = !key.record().unlimited();
        m.output = chat ? m.costs.output(price) : null;
        long reserve = 0;
        long least = 0;
        if (metered) {
            // every target the route may reach, the dearest included: an attempt never needs more than this
            List<ResolvedModel> targets = exchange.reachable().isEmpty() ? List.of(exchange.target())
                    : exchange.reachable();
            TargetCosts.Bounds bounds = m.costs.bounds(targets, t -> prices.find(t).orElse(null));
            reserve = bounds.most() + m.extractMicros;
            least = bounds.least() + m.extractMicros;
        }
        m.reserveMicros = reserve;
        Quotas.Limits limits = key.limits();
        long tokens = m.promptEstimate + (chat ? m.output.expectedTokens(config.reserve().defaultOutputTokens()) : 0);
        m.tokensTaken = limits.tpmOr0() > 0 ? Math.min(tokens, limits.tpmOr0()) : tokens;
        if (!metered && limits.rpmOr0() == 0 && limits.tpmOr0() == 0 && limits.parallelOr0() == 0) {
            // nothing to check or hold for this key: no round trip to the quota store
            return CONTINUE;
        }
        m.leaseId = TimeOrderedIds.next();
        Quotas.Request request = new Quotas.Request(key.id(), m.leaseId, limits, m.tokensTaken, reserve, least,
                metered);
        return admit(exchange, m, request, true);
    }

    private Uni<Void> admit(Exchange exchange, Meter m, Quotas.Request request, boolean firstTry) {
        return quotas.admit(request)
                .onFailure().transform(f -> {
                    Log.warnf("Rate-limit store failed for key %s: %s", request.keyId(), f.getMessage());
                    return new StoreUnavailableException("Rate limits cannot be checked right now; retry shortly", f);
                })
                .emitOn(on(m.context))
                .chain(a -> {
                    rateHeaders(exchange, m, request.limits(), a);
                    return switch (a.verdict()) {
                        case ADMITTED -> {
                            m.admitted = true;
                            if (request.metered()) {
                                m.reserveMicros = a.reservedMicros();
                            }
                            yield CONTINUE;
                        }
                        case BALANCE_UNKNOWN -> firstTry ? loadBalance(request.keyId())
                                .emitOn(on(m.context))
                                .chain(() -> admit(exchange, m, request, false))
                                : Uni.createFrom().failure(new StoreUnavailableException(
                                "The balance of this key cannot be read right now; retry shortly", null));
                        case INSUFFICIENT_BALANCE -> Uni.createFrom().failure(new ApiException(429,
                                ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                                insufficient(m, request, a)));
                        case REQUESTS_EXHAUSTED -> rateLimited(a, "Rate limit reached: " + request.limits().rpm()
                                + " requests per minute for this key.");
                        case TOKENS_EXHAUSTED -> rateLimited(a, "Rate limit reached: " + request.limits().tpm()
                                + " tokens per minute for this key; this request needs about " + m.tokensTaken + ".");
                        case TOO_MANY_PARALLEL -> rateLimited(a, "Too many requests in parallel: at most "
                                + request.limits().maxParallel() + " at once for this key.");
                    };
                });
    }

    private static String insufficient(Meter m, Quotas.Request request, Quotas.Admission a) {
        String available = "You exceeded your current quota: this key has $" + Money.usdText(Math.max(0,
                a.availableMicros())) + " available";
        if (m.output != null && m.output.flexible()) {
            return available + ", and this request needs at least $" + Money.usdText(request.minReserveMicros())
                    + " (its prompt and " + m.output.leastTokens() + " output tokens). Add credit to the key.";
        }
        return available + ", and this request may cost up to $" + Money.usdText(request.reserveMicros())
                + ". Add credit to the key, or lower max_tokens.";
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

    private static void rateHeaders(Exchange exchange, Meter m, Quotas.Limits limits, Quotas.Admission a) {
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
        if (m != null) {
            m.rateHeaders = true;
        }
    }

    /**
     * The rate-limit headers of a response refused before admission (a model not allowed or not priced, a body
     * that could not be read...): the buckets as they stand, nothing taken.
     */
    private Uni<Void> peekRateHeaders(Exchange exchange, Meter m, VirtualKey key) {
        if (key == null || (m != null && m.rateHeaders)) {
            return CONTINUE;
        }
        Quotas.Limits limits = key.limits();
        if (limits.rpmOr0() == 0 && limits.tpmOr0() == 0) {
            return CONTINUE;
        }
        Context context = m != null ? m.context : Vertx.currentContext();
        return quotas.peek(key.id(), limits)
                .emitOn(on(context))
                .invoke(a -> rateHeaders(exchange, m, limits, a))
                .replaceWithVoid()
                .onFailure().invoke(f -> Log.debugf("Rate-limit headers unavailable for key %s: %s", key.id(),
                        f.getMessage()))
                .onFailure().recoverWithNull();
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
        Meter m = exchange.get(STATE);
        if (m == null) {
            return;
        }
        for (JsonNode choice : response.path("choices")) {
            collect(m, choice.path("message"));
        }
        if (m.price != null && response.get("usage") instanceof ObjectNode usage) {
            usage.put("cost", Money.usd(priced(exchange, m.price.cost(Usage.of(usage))) + extractCost(exchange)));
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Meter m = exchange.get(STATE);
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
                    edited.put("cost", Money.usd(priced(exchange, m.price.cost(Usage.of(u))) + extractCost(exchange)));
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

    /** What the tokens of an answer cost this request: nothing when it was answered locally free of charge. */
    private static long priced(Exchange exchange, long tokensMicros) {
        LocalAnswer local = exchange.get(LocalAnswer.KEY);
        return local != null && !local.billed() ? 0 : tokensMicros;
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

    /** Pages read for the request's {@code web_extract}. */
    private static int extractPages(Exchange exchange) {
        return WebExtractUse.pagesUsed(exchange);
    }

    // ---- settlement --------------------------------------------------------------------------------------------

    /**
     * What a finished request is charged, and on what grounds; left on the exchange under {@link #CHARGE} for the
     * steps after metering (the request log).
     */
    public record Charge(Usage usage, long costMicros, boolean priced, boolean estimated, int pages) {
    }

    /** The charge of a finished exchange, set by {@code onFinish} before its ledger line is written. */
    public static final Exchange.Key<Charge> CHARGE = new Exchange.Key<>("sluice.metering.charge", Charge.class);

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        Meter m = exchange.get(STATE);
        Context context = m != null ? m.context : Vertx.currentContext();
        VirtualKey key = m != null ? m.key : exchange.caller().details(VirtualKey.class).orElse(null);
        Charge charge = charge(exchange, outcome, m, key);
        exchange.put(CHARGE, charge);
        if (charge.priced() || charge.costMicros() == 0 && charge.usage().equals(Usage.NONE)) {
            // a stream's headers are long gone; for every other response this is the header it leaves with
            exchange.responseHeaders().put(COST_HEADER, Money.usdText(charge.costMicros()));
        }
        String overrun = m != null && m.admitted && key != null && !key.record().unlimited()
                ? ReservationOverrun.note(exchange, m.reserveMicros, charge.costMicros()) : null;
        LedgerEntry entry = entry(exchange, outcome, charge, key != null ? -charge.costMicros() : 0, overrun);
        // the reservation and slot are released whatever becomes of the line: a write the database refuses
        // outright must not hold the key's parallel slot and reserved balance forever
        Uni<Void> settled = appendSafely(exchange, entry)
                .onItemOrFailure().transformToUni((balance, failure) -> failure == null
                        ? settle(m, key, charge.usage(), balance)
                        : settle(m, key, charge.usage(), null).chain(() -> Uni.createFrom().<Void>failure(failure)))
                .memoize().indefinitely();
        // settlement proceeds even if the client stops waiting for it
        settled.subscribe().with(v -> { }, f -> Log.errorf("Request %s: usage of key %s could not be recorded: %s",
                exchange.requestId(), exchange.caller().keyId(), f.getMessage()));
        Duration timeout = storeConfig.writeTimeout();
        Uni<Void> recorded = settled
                .ifNoItem().after(timeout).failWith(() -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", null))
                .onFailure(f -> !(f instanceof ApiException || f instanceof StoreUnavailableException)).transform(f -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", f));
        return Uni.combine().all().unis(recorded, peekRateHeaders(exchange, m, key)).discardItems()
                .emitOn(on(context));
    }

    /**
     * The ledger's append; a throw while queueing the line is a failure like any other. Traced as a span of the
     * request, from queueing the line until its group commit.
     */
    private Uni<Balance> appendSafely(Exchange exchange, LedgerEntry entry) {
        Span span = tracing.ledgerCommit(exchange);
        Uni<Balance> appended;
        try {
            appended = ledger.append(entry);
        } catch (RuntimeException e) {
            appended = Uni.createFrom().failure(e);
        }
        if (span == null) {
            return appended;
        }
        return appended.onItemOrFailure().invoke((balance, failure) -> Tracing.end(span, failure))
                .onCancellation().invoke(() -> Tracing.end(span, null));
    }

    /**
     * The usage and cost of a finished request. A prepaid key pays only for requests it was admitted for (nothing
     * was reserved for the others, so nothing may be taken); unlimited keys and the master key pay for what they
     * used. Without reported usage, a request that reached a provider is charged for what it produced: the larger
     * of the usage the provider announced before the end (completed with the tokens of the text relayed) and the
     * prompt estimate plus those tokens; one that the provider answered with an error and nothing else is not
     * charged (providers do not bill their errors).
     */
    private Charge charge(Exchange exchange, Outcome outcome, Meter m, VirtualKey key) {
        int pages = extractPages(exchange);
        if (m == null) {
            return new Charge(Usage.NONE, 0, true, false, pages);
        }
        boolean metered = key != null && !key.record().unlimited();
        if (metered && !m.admitted) {
            return new Charge(Usage.NONE, 0, m.price != null, false, pages);
        }
        Usage usage;
        boolean estimated = false;
        if (exchange.usage().isPresent()) {
            usage = Usage.of(exchange.usage().get());
        } else if (producedSomething(exchange, outcome, m)) {
            usage = estimate(exchange, m);
            estimated = true;
        } else {
            usage = Usage.NONE;
        }
        long cost = m.price == null ? 0 : priced(exchange, m.price.cost(usage)) + extractCost(exchange);
        return new Charge(usage, cost, m.price != null, estimated, pages);
    }

    /** Whether a request without reported usage cost the provider something. */
    private static boolean producedSomething(Exchange exchange, Outcome outcome, Meter m) {
        if (m.produced.length() > 0 || exchange.context().usageSoFar().isPresent()) {
            return true;
        }
        if (exchange.context().upstreamNanos() == 0) {
            return false;
        }
        // a provider that answered an error produced nothing to pay for; a timeout or a broken connection may
        // have left it working on the prompt
        return !(outcome.status() == Outcome.Status.FAILED && outcome.failure() instanceof UpstreamException u
                && u.upstreamStatus() >= 400);
    }

    private Usage estimate(Exchange exchange, Meter m) {
        ResolvedModel target = exchange.target();
        long produced = estimator.completion(m.produced.toString(), target);
        Usage estimate = new Usage(m.promptEstimate, produced, 0, 0, 0);
        if (exchange.context().usageSoFar().isEmpty() || m.price == null) {
            return estimate;
        }
        TokenUsage so = exchange.context().usageSoFar().get();
        Usage reported = new Usage(so.promptTokens(), Math.max(so.completionTokens(), produced),
                Math.min(so.cachedTokens(), so.promptTokens()), Math.min(so.cacheWriteTokens(), so.promptTokens()),
                so.reasoningTokens());
        return m.price.cost(reported) >= m.price.cost(estimate) ? reported : estimate;
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

    private static LedgerEntry entry(Exchange exchange, Outcome outcome, Charge charge, long amount, String note) {
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
        ResolvedModel target = exchange.target();
        Usage usage = charge.usage();
        return new LedgerEntry(LedgerEntry.newLineId(), System.currentTimeMillis(), LedgerEntry.REQUEST,
                exchange.caller().keyId(), exchange.requestId(), exchange.operation().name().toLowerCase(Locale.ROOT),
                exchange.requestedModel(), target == null ? null : target.provider().name(),
                target == null ? null : target.model(), target == null ? null : target.deployment(),
                exchange.streaming(), usage.prompt(), usage.completion(), usage.cached(), usage.reasoning(),
                charge.pages(), charge.costMicros(), amount, charge.priced(), charge.estimated(),
                (System.nanoTime() - exchange.startNanos()) / 1_000_000, status, result, code, note,
                exchange.clientSession(), exchange.get(LocalAnswer.KEY) != null);
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
