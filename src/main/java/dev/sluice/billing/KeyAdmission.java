package dev.sluice.billing;

import dev.sluice.keys.VirtualKey;
import dev.sluice.money.Usage;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Quotas;
import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A key's per-request limits at the quota store: one round trip admits a request (its rpm and tpm share, a
 * parallel slot, and for a prepaid key its reservation) or refuses it with the 429 OpenAI's clients expect, and
 * one gives all of it back once the request is settled. Both go together so that a slot and a reservation can
 * never outlive the request that took them.
 */
@Singleton
class KeyAdmission {

    private final Quotas quotas;
    private final KeyStore keys;

    @Inject
    KeyAdmission(Quotas quotas, KeyStore keys) {
        this.quotas = quotas;
        this.keys = keys;
    }

    /**
     * Takes what the request needs, or fails with the refusal; the key's rate-limit headers are written either
     * way. A shared store that does not hold the key's balance yet is given it once from the key store.
     */
    Uni<Void> admit(Exchange exchange, Meter m, Quotas.Request request) {
        return admit(exchange, m, request, true);
    }

    private Uni<Void> admit(Exchange exchange, Meter m, Quotas.Request request, boolean firstTry) {
        return quotas.admit(request)
                .onFailure().transform(f -> {
                    Log.warnf("Rate-limit store failed for key %s: %s", request.keyId(), f.getMessage());
                    return new StoreUnavailableException("Rate limits cannot be checked right now; retry shortly", f);
                })
                .emitOn(m.resume())
                .chain(a -> {
                    RateLimitHeaders.write(exchange, m, request.limits(), a);
                    return switch (a.verdict()) {
                        case ADMITTED -> {
                            m.admitted = true;
                            if (request.metered()) {
                                m.reserveMicros = a.reservedMicros();
                            }
                            yield ExchangeInterceptor.CONTINUE;
                        }
                        case BALANCE_UNKNOWN -> firstTry ? loadBalance(request.keyId())
                                .emitOn(m.resume())
                                .chain(() -> admit(exchange, m, request, false))
                                : Uni.createFrom().failure(new StoreUnavailableException(
                                "The balance of this key cannot be read right now; retry shortly", null));
                        case INSUFFICIENT_BALANCE -> Uni.createFrom().failure(new ApiException(429,
                                ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                                Reservation.insufficient(m, request, a)));
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

    /**
     * Gives back what an admitted request took (its slot, the rest of its tpm share, its reservation) once its
     * ledger line is written, with the balance that line left; for a request never admitted, only passes the new
     * balance on. Never fails: what cannot be released expires by itself.
     */
    Uni<Void> release(Meter m, VirtualKey key, Usage usage, Balance balance) {
        if (key == null) {
            return ExchangeInterceptor.CONTINUE;
        }
        if (m == null || !m.admitted) {
            return balance == null ? ExchangeInterceptor.CONTINUE
                    : quotas.balanceChanged(balance).onFailure().recoverWithNull();
        }
        return quotas.settle(new Quotas.Settlement(key.id(), m.leaseId, key.limits(), m.tokensTaken, usage.total(),
                        balance))
                .onFailure().invoke(f -> Log.warnf("Releasing the reservation of key %s failed (it expires by itself): %s",
                        key.id(), f.getMessage()))
                .onFailure().recoverWithNull();
    }
}
