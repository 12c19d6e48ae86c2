package dev.sluice.store;

import io.smallrye.mutiny.Uni;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quotas held in this process's memory: exact and lock-cheap (one monitor per key), for a single replica. Token
 * buckets refill continuously: an rpm limit of 60 gives back one request per second, up to 60 at once.
 */
public final class LocalQuotas implements Quotas {

    private static final class Account {
        boolean balanceKnown;
        long balance;
        long seq = -1;
        long reserved;
        final Map<String, Long> reservations = new HashMap<>();
        final Map<String, Boolean> parallel = new HashMap<>();
        double requests = Double.NaN;
        long requestsAt;
        double tokens = Double.NaN;
        long tokensAt;
    }

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private Account account(String keyId) {
        return accounts.computeIfAbsent(keyId, k -> new Account());
    }

    @Override
    public Uni<Admission> admit(Request r) {
        return Uni.createFrom().item(admitNow(r));
    }

    Admission admitNow(Request r) {
        Account a = account(r.keyId());
        long now = now();
        int rpm = r.limits().rpmOr0();
        int tpm = r.limits().tpmOr0();
        int par = r.limits().parallelOr0();
        synchronized (a) {
            double rq = rpm > 0 ? Buckets.level(a.requests, a.requestsAt, now, rpm) : 0;
            double tk = tpm > 0 ? Buckets.level(a.tokens, a.tokensAt, now, tpm) : 0;
            long need = tpm > 0 ? Math.min(r.tokens(), tpm) : r.tokens();
            Verdict verdict = Verdict.ADMITTED;
            long retry = 0;
            if (rpm > 0 && rq < 1) {
                verdict = Verdict.REQUESTS_EXHAUSTED;
                retry = Buckets.waitFor(1 - rq, rpm);
            } else if (tpm > 0 && tk < need) {
                verdict = Verdict.TOKENS_EXHAUSTED;
                retry = Buckets.waitFor(need - tk, tpm);
            } else if (par > 0 && a.parallel.size() >= par) {
                verdict = Verdict.TOO_MANY_PARALLEL;
                retry = 1000;
            } else if (r.metered()) {
                if (!a.balanceKnown) {
                    verdict = Verdict.BALANCE_UNKNOWN;
                } else if (r.reserveMicros() > 0 && a.balance - a.reserved < r.minReserveMicros()) {
                    verdict = Verdict.INSUFFICIENT_BALANCE;
                }
            }
            long reserve = 0;
            if (verdict == Verdict.ADMITTED) {
                if (rpm > 0) {
                    rq -= 1;
                    a.requests = rq;
                    a.requestsAt = now;
                }
                if (tpm > 0) {
                    tk -= need;
                    a.tokens = tk;
                    a.tokensAt = now;
                }
                if (par > 0) {
                    a.parallel.put(r.leaseId(), Boolean.TRUE);
                }
                if (r.metered() && r.reserveMicros() > 0) {
                    reserve = Math.max(r.minReserveMicros(), Math.min(r.reserveMicros(), a.balance - a.reserved));
                    a.reservations.put(r.leaseId(), reserve);
                    a.reserved += reserve;
                }
            }
            return new Admission(verdict, rpm > 0 ? (long) Math.floor(Math.max(0, rq)) : -1,
                    rpm > 0 ? Buckets.waitFor(rpm - rq, rpm) : 0, tpm > 0 ? (long) Math.floor(Math.max(0, tk)) : -1,
                    tpm > 0 ? Buckets.waitFor(tpm - tk, tpm) : 0, retry,
                    a.balanceKnown ? a.balance - a.reserved : 0, reserve);
        }
    }

    @Override
    public Uni<Admission> peek(String keyId, Limits limits) {
        Account a = account(keyId);
        long now = now();
        int rpm = limits.rpmOr0();
        int tpm = limits.tpmOr0();
        synchronized (a) {
            double rq = rpm > 0 ? Buckets.level(a.requests, a.requestsAt, now, rpm) : 0;
            double tk = tpm > 0 ? Buckets.level(a.tokens, a.tokensAt, now, tpm) : 0;
            return Uni.createFrom().item(new Admission(Verdict.ADMITTED,
                    rpm > 0 ? (long) Math.floor(Math.max(0, rq)) : -1, rpm > 0 ? Buckets.waitFor(rpm - rq, rpm) : 0,
                    tpm > 0 ? (long) Math.floor(Math.max(0, tk)) : -1, tpm > 0 ? Buckets.waitFor(tpm - tk, tpm) : 0,
                    0, a.balanceKnown ? a.balance - a.reserved : 0, 0));
        }
    }

    @Override
    public Uni<Void> settle(Settlement s) {
        Account a = account(s.keyId());
        synchronized (a) {
            if (s.balance() != null) {
                apply(a, s.balance());
            }
            Long held = a.reservations.remove(s.leaseId());
            if (held != null) {
                a.reserved -= held;
            }
            a.parallel.remove(s.leaseId());
            int tpm = s.limits() == null ? 0 : s.limits().tpmOr0();
            long delta = s.tokensUsed() - s.tokensTaken();
            if (tpm > 0 && delta != 0 && !Double.isNaN(a.tokens)) {
                a.tokens = Math.min(tpm, a.tokens - delta);
            }
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> balanceChanged(Balance balance) {
        Account a = account(balance.keyId());
        synchronized (a) {
            apply(a, balance);
        }
        return Uni.createFrom().voidItem();
    }

    private static void apply(Account a, Balance b) {
        if (!a.balanceKnown || b.seq() > a.seq) {
            a.balance = b.micros();
            a.seq = b.seq();
            a.balanceKnown = true;
        }
    }

    @Override
    public Uni<Long> reserved(String keyId) {
        Account a = accounts.get(keyId);
        if (a == null) {
            return Uni.createFrom().item(0L);
        }
        synchronized (a) {
            return Uni.createFrom().item(a.reserved);
        }
    }
}
