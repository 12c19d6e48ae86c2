package dev.sluice.billing;

import dev.sluice.pipeline.OnContext;
import dev.sluice.money.Money;
import dev.sluice.money.Price;
import dev.sluice.money.Usage;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.pipeline.WebExtractUse;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.TokenEstimator;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Prices one exchange: the price of its target, what its prompt and output may cost on every target it can reach
 * ({@link TargetCosts}), the output cap those costs allow, the web pages it reads, and the cost of an answer. Kept
 * apart from metering's round trips so that what a request costs is decided in one place.
 *
 * <p>Counting a prompt's tokens is CPU work proportional to its size: a body above {@value #TOKENIZE_INLINE_BYTES}
 * bytes is counted on a worker thread and the request continues on its own context.
 */
@Singleton
class RequestPricing {

    /** Bodies above this are tokenised on a worker thread, not on the event loop. */
    static final int TOKENIZE_INLINE_BYTES = 16 * 1024;

    private final PriceTable prices;
    private final TokenEstimator estimator;
    private final BillingConfig config;
    private final long extractPageMicros;
    private final Executor worker;

    @Inject
    RequestPricing(PriceTable prices, TokenEstimator estimator, BillingConfig config) {
        this(prices, estimator, config, Money.micros(config.webExtractPageUsd()),
                Infrastructure.getDefaultWorkerPool());
    }

    RequestPricing(PriceTable prices, TokenEstimator estimator, BillingConfig config, long extractPageMicros,
                   Executor worker) {
        this.prices = prices;
        this.estimator = estimator;
        this.config = config;
        this.extractPageMicros = extractPageMicros;
        this.worker = worker;
    }

    /** The price of a target; null when it has none. */
    Price price(ResolvedModel target) {
        return prices.find(target).orElse(null);
    }

    /**
     * Prices the request before its first attempt: the web pages retrieval plans to read and the prompt estimate
     * of every target it may reach, counted off the event loop for a large body; completes on the meter's context.
     */
    Uni<Void> prepare(Exchange exchange, Meter m) {
        // retrieval runs after admission (see Stage): reserve for the most it may read and inject, as planned
        WebExtractUse.Plan planned = WebExtractUse.plan(exchange);
        m.extractMicros = planned.pages() * extractPageMicros;
        if (!large(exchange)) {
            estimate(exchange, m, planned, false);
            return Uni.createFrom().voidItem();
        }
        Context context = m.context;
        return Uni.createFrom().item(() -> {
                    estimate(exchange, m, planned, true);
                    return (Void) null;
                })
                .runSubscriptionOn(worker)
                .emitOn(OnContext.of(context));
    }

    private void estimate(Exchange exchange, Meter m, WebExtractUse.Plan planned, boolean everyTarget) {
        TargetCosts costs = new TargetCosts(exchange, estimator, config.reserve(), planned.tokens());
        if (everyTarget) {
            // a large prompt is counted here once per tokenizer, so that later attempts (on the event loop) find
            // their estimate already made
            for (ResolvedModel t : targets(exchange)) {
                costs.prompt(t);
            }
        }
        m.costs = costs;
        m.promptEstimate = costs.prompt(exchange.target());
    }

    /** Whether the request body is large enough that counting its tokens would hold the event loop. */
    static boolean large(Exchange exchange) {
        int size = exchange.operation() == Exchange.Operation.CHAT
                ? (exchange.chat() == null ? 0 : exchange.chat().receivedSize())
                : (exchange.embeddings() == null ? 0 : exchange.embeddings().receivedSize());
        return size > TOKENIZE_INLINE_BYTES;
    }

    /** Every target the route may reach, the dearest included: an attempt never needs more than their worst. */
    static List<ResolvedModel> targets(Exchange exchange) {
        if (!exchange.reachable().isEmpty()) {
            return exchange.reachable();
        }
        return exchange.target() == null ? List.of() : List.of(exchange.target());
    }

    /** The most and the least the request may need reserved over the targets it may reach, pages included. */
    TargetCosts.Bounds bounds(Exchange exchange, Meter m) {
        TargetCosts.Bounds b = m.costs.bounds(targets(exchange), this::price);
        return new TargetCosts.Bounds(b.most() + m.extractMicros, b.least() + m.extractMicros);
    }

    /** The output cap for the request's current price; null for embeddings. */
    OutputCap output(Meter m) {
        return m.costs.chat() ? m.costs.output(m.price) : null;
    }

    /** Tokens the request takes from a tpm budget: its prompt and the output it expects. */
    long expectedTokens(Meter m) {
        return m.promptEstimate + (m.output != null ? m.output.expectedTokens(config.reserve().defaultOutputTokens())
                : 0);
    }

    /** What an answer with this usage costs the request: its tokens at the current price, and its pages. */
    long cost(Exchange exchange, Price price, Usage usage) {
        return priced(exchange, price.cost(usage)) + extractCost(exchange);
    }

    /** The tokens of text generated on the request's target (for a settlement without reported usage). */
    long completionTokens(Exchange exchange, String text) {
        return estimator.completion(text, exchange.target());
    }

    /** What the pages read for the request's {@code web_extract} cost. */
    long extractCost(Exchange exchange) {
        return WebExtractUse.pagesUsed(exchange) * extractPageMicros;
    }

    /** What the tokens of an answer cost this request: nothing when it was answered locally free of charge. */
    static long priced(Exchange exchange, long tokensMicros) {
        LocalAnswer local = exchange.get(LocalAnswer.KEY);
        return local != null && !local.billed() ? 0 : tokensMicros;
    }
}
