package dev.sluice.billing;

import dev.sluice.pipeline.OnContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.keys.VirtualKey;
import dev.sluice.money.Money;
import dev.sluice.money.Usage;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatChunk;
import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.GatewayHeaders;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.pipeline.Outcome;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.TimeOrderedIds;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import dev.sluice.store.Quotas;
import dev.sluice.store.StoreConfig;
import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Meters every request: prices it, enforces the key's rpm / tpm / max_parallel limits and reserves its
 * worst-case cost before it goes upstream, reports its cost and its key's rate limits in the response, and writes
 * its ledger line before the last bytes leave. Each of those is its own class; this one only puts them in order.
 *
 * <p>It reads only {@link Exchange#usage()} (OpenAI's {@code usage} object, which every provider adapter
 * produces, from a whole response or a stream's usage chunk), the usage an adapter reported before a stream
 * ended, and the chunks relayed to the client, so settlement is the same whatever protocol the provider speaks.
 *
 * <ul>
 *   <li>Reservation (prepaid keys, {@link Reservation}): the prompt estimate priced at the dearer of the input and
 *       cache-write prices, the web pages already extracted for the request, and its output, which Sluice caps on
 *       the upstream request so that it cannot exceed what was reserved ({@link OutputCap}). Refused with 429
 *       {@code insufficient_quota} when the balance minus what other requests hold cannot cover it. Unlimited keys
 *       and the master key reserve nothing and their requests go upstream unchanged.</li>
 *   <li>Streams always ask the upstream for usage ({@code stream_options.include_usage}); when the client did not
 *       ask for it, the usage chunk (and the {@code "usage": null} fields) are removed from what it receives
 *       ({@link UsageInAnswer}).</li>
 *   <li>Settlement ({@link Settlement}): the cost from the reported usage; without it (a stream cut short, a
 *       silent provider), the larger of the usage the provider reported so far completed with the tokens of the
 *       text relayed ({@link ProducedText}), and the prompt estimate plus those tokens. The ledger line and the
 *       balance change commit together (group commit, {@link LedgerLine}); only then does the response end, and
 *       the reservation is released ({@link KeyAdmission#release}).</li>
 *   <li>An answer the pipeline did not get from an upstream ({@link LocalAnswer}: a response-cache hit) costs
 *       nothing unless it says it is billed; its ledger line is marked {@code cache_hit}.</li>
 *   <li>Every response to a non-streaming request (refusals after authentication included) carries
 *       {@code x-sluice-cost-usd}; every response to a key with an rpm or tpm limit carries OpenAI's rate-limit
 *       headers ({@link RateLimitHeaders}). A stream's headers leave before its cost is known: it reports the cost
 *       in its usage chunk.</li>
 * </ul>
 */
@ApplicationScoped
public class MeteringInterceptor implements ExchangeInterceptor {

    /** Exchange attribute with the metering state of a request ({@link Meter#KEY}). */
    static final Exchange.Key<Meter> STATE = Meter.KEY;
    /** The charge of a finished exchange ({@link Charge#KEY}), set before its ledger line is written. */
    public static final Exchange.Key<Charge> CHARGE = Charge.KEY;
    public static final String COST_HEADER = GatewayHeaders.COST_USD;

    private final RequestPricing pricing;
    private final KeyAdmission admission;
    private final RateLimitHeaders rateHeaders;
    private final Settlement settlement;
    private final LedgerLine ledger;
    private final StoreConfig storeConfig;

    @Inject
    MeteringInterceptor(RequestPricing pricing, KeyAdmission admission, RateLimitHeaders rateHeaders,
                        Ledger ledger, Tracing tracing, StoreConfig storeConfig) {
        this.pricing = pricing;
        this.admission = admission;
        this.rateHeaders = rateHeaders;
        this.settlement = new Settlement(pricing);
        this.ledger = new LedgerLine(ledger, tracing);
        this.storeConfig = storeConfig;
    }

    @Override
    public Stage stage() {
        return Stage.METERING;
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        Meter m = Meter.of(exchange.caller().details(VirtualKey.class).orElse(null));
        m.price = pricing.price(exchange.target());
        exchange.put(Meter.KEY, m);
        if (exchange.streaming()) {
            m.clientWantsUsage = UsageInAnswer.askForUsage(exchange.chat());
        }
        return pricing.prepare(exchange, m).chain(() -> admit(exchange, m));
    }

    /** Takes the key's limits and reservation for the request, when it has any. */
    private Uni<Void> admit(Exchange exchange, Meter m) {
        if (m.key == null) {
            return CONTINUE;
        }
        m.output = pricing.output(m);
        TargetCosts.Bounds bounds = m.prepaid() ? pricing.bounds(exchange, m) : new TargetCosts.Bounds(0, 0);
        m.reserveMicros = bounds.most();
        Quotas.Limits limits = m.key.limits();
        long tokens = pricing.expectedTokens(m);
        m.tokensTaken = limits.tpmOr0() > 0 ? Math.min(tokens, limits.tpmOr0()) : tokens;
        if (!m.prepaid() && limits.rpmOr0() == 0 && limits.tpmOr0() == 0 && limits.parallelOr0() == 0) {
            // nothing to check or hold for this key: no round trip to the quota store
            return CONTINUE;
        }
        m.leaseId = TimeOrderedIds.next();
        return admission.admit(exchange, m, Reservation.request(m, m.leaseId, bounds));
    }

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        Meter m = exchange.get(Meter.KEY);
        if (m == null) {
            return;
        }
        for (JsonNode choice : response.path("choices")) {
            m.produced.collect(choice.path("message"));
        }
        if (m.price != null) {
            UsageInAnswer.priceAnswer(response, usage -> pricing.cost(exchange, m.price, Usage.of(usage)));
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Meter m = exchange.get(Meter.KEY);
        if (m == null) {
            return;
        }
        for (JsonNode choice : chunk.json().path("choices")) {
            m.produced.collect(choice.path("delta"));
        }
        UsageInAnswer.relayChunk(chunk, m.clientWantsUsage, m.price == null ? null
                : usage -> pricing.cost(exchange, m.price, Usage.of(usage)));
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        Meter m = exchange.get(Meter.KEY);
        Context context = m != null ? m.context : Vertx.currentContext();
        VirtualKey key = m != null ? m.key : exchange.caller().details(VirtualKey.class).orElse(null);
        Charge charge = settlement.charge(exchange, outcome, m, key);
        exchange.put(Charge.KEY, charge);
        if (charge.priced() || charge.costMicros() == 0 && charge.usage().equals(Usage.NONE)) {
            // a stream's headers are long gone; for every other response this is the header it leaves with
            exchange.responseHeaders().put(COST_HEADER, Money.usdText(charge.costMicros()));
        }
        String overrun = Reservation.overrun(exchange, m, charge.costMicros());
        LedgerEntry entry = LedgerLine.of(exchange, outcome, charge, key != null ? -charge.costMicros() : 0, overrun);
        // the reservation and slot are released whatever becomes of the line: a write the database refuses
        // outright must not hold the key's parallel slot and reserved balance forever
        Uni<Void> settled = ledger.append(exchange, entry)
                .onItemOrFailure().transformToUni((balance, failure) -> failure == null
                        ? admission.release(m, key, charge.usage(), balance)
                        : admission.release(m, key, charge.usage(), null)
                                .chain(() -> Uni.createFrom().<Void>failure(failure)))
                .memoize().indefinitely();
        // settlement proceeds even if the client stops waiting for it
        settled.subscribe().with(v -> { }, f -> Log.errorf("Request %s: usage of key %s could not be recorded: %s",
                exchange.requestId(), exchange.caller().keyId(), f.getMessage()));
        Duration timeout = storeConfig.writeTimeout();
        Uni<Void> recorded = settled
                .ifNoItem().after(timeout).failWith(() -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", null))
                .onFailure(f -> !(f instanceof ApiException || f instanceof StoreUnavailableException))
                .transform(f -> new StoreUnavailableException(
                        "The usage ledger is not accepting writes right now; retry shortly", f));
        return Uni.combine().all().unis(recorded, rateHeaders.peek(exchange, m, key)).discardItems()
                .emitOn(OnContext.of(context));
    }
}
