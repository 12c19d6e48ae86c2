package dev.sluice.billing;

import dev.sluice.pipeline.OnContext;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.store.Quotas;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.math.BigDecimal;

/**
 * OpenAI's rate-limit headers on every response to a key with an rpm or tpm limit, so that OpenAI's SDKs and
 * clients that pace themselves read Sluice's limits as they read OpenAI's: from the admission when the request was
 * admitted or refused by a limit, from a look at the buckets (nothing taken) when it was refused before that.
 */
@Singleton
class RateLimitHeaders {

    static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    static final String RESET_TOKENS = "x-ratelimit-reset-tokens";

    private final Quotas quotas;

    @Inject
    RateLimitHeaders(Quotas quotas) {
        this.quotas = quotas;
    }

    /** Writes the headers of a key's limits as an admission left them. */
    static void write(Exchange exchange, Meter m, Quotas.Limits limits, Quotas.Admission a) {
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
    Uni<Void> peek(Exchange exchange, Meter m, VirtualKey key) {
        if (key == null || (m != null && m.rateHeaders)) {
            return ExchangeInterceptor.CONTINUE;
        }
        Quotas.Limits limits = key.limits();
        if (limits.rpmOr0() == 0 && limits.tpmOr0() == 0) {
            return ExchangeInterceptor.CONTINUE;
        }
        Context context = m != null ? m.context : Vertx.currentContext();
        return quotas.peek(key.id(), limits)
                .emitOn(OnContext.of(context))
                .invoke(a -> write(exchange, m, limits, a))
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
}
