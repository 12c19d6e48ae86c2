package dev.sluice.billing;

import dev.sluice.auth.Caller;
import dev.sluice.keys.VirtualKey;
import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Outcome;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.Ledger;
import dev.sluice.store.LocalQuotas;
import dev.sluice.store.Quotas;
import dev.sluice.store.StoreConfig;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A request's parallel slot and reservation are released however its ledger line fares: a line the database
 * refuses outright (PostgreSQL refuses a NUL in text, a constraint...) must not hold them forever.
 */
class ReservationReleaseTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final Quotas.Limits ONE_AT_A_TIME = new Quotas.Limits(null, null, 1);

    @Test
    void aRefusedLedgerLineStillReleasesTheSlotAndTheReservation() {
        LocalQuotas quotas = new LocalQuotas();
        quotas.balanceChanged(new Balance("k1", 1_000_000, 1)).await().atMost(WAIT);
        VirtualKey key = VirtualKey.of(new KeyRecord("k1", "one-at-a-time", "h", "abcd", List.of(), null, null, 1,
                false, null, null, 0, 0, null, 1_000_000, 1));
        assertEquals(Quotas.Verdict.ADMITTED, quotas.admit(new Quotas.Request("k1", "lease-1", ONE_AT_A_TIME, 10,
                5_000, true)).await().atMost(WAIT).verdict());
        assertEquals(Quotas.Verdict.TOO_MANY_PARALLEL, quotas.admit(new Quotas.Request("k1", "lease-2",
                ONE_AT_A_TIME, 10, 5_000, true)).await().atMost(WAIT).verdict());

        Ledger refusing = entry -> Uni.createFrom().failure(new IllegalStateException(
                "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00"));
        MeteringInterceptor metering = new MeteringInterceptor(null, new KeyAdmission(quotas, null),
                new RateLimitHeaders(quotas), refusing, Tracing.off(), storeConfig());
        Exchange exchange = Exchange.unreadable(Exchange.Operation.CHAT, System.nanoTime(), "req-1",
                new Caller("k1", Caller.Role.VIRTUAL, key));
        Meter m = new Meter(key, null);
        m.leaseId = "lease-1";
        m.admitted = true;
        m.reserveMicros = 5_000;
        m.tokensTaken = 10;
        exchange.put(MeteringInterceptor.STATE, m);

        // the client learns that its request could not be recorded...
        assertThrows(RuntimeException.class, () -> metering.onFinish(exchange, Outcome.succeeded())
                .await().atMost(WAIT));
        // ...and the key is not left holding a slot and money for a request that has ended
        assertEquals(0L, quotas.reserved("k1").await().atMost(WAIT));
        assertEquals(Quotas.Verdict.ADMITTED, quotas.admit(new Quotas.Request("k1", "lease-3", ONE_AT_A_TIME, 10,
                5_000, true)).await().atMost(WAIT).verdict());
    }

    private static StoreConfig storeConfig() {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(), new Class<?>[] {StoreConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeTimeout")) {
                        return Duration.ofSeconds(2);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
