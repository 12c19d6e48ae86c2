package dev.sluice.store;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quotas shared by every replica through Redis. Each decision is one Lua script, so it is atomic across replicas:
 * two replicas cannot both take the last request of an rpm bucket or the last dollar of a balance. Time is
 * Redis's own clock, so replicas with skewed clocks still agree.
 *
 * <p>Per key, under one hash tag (so Redis Cluster keeps them on one node): {@code acct} (balance, its ledger
 * sequence, the sum reserved, bucket levels), {@code res}/{@code resamt} (reservations and their amounts) and
 * {@code par} (parallel-request slots). Reservations and slots expire unless their replica renews them, so a
 * replica killed mid-request frees them after the lease TTL. The balance here is a cache of the database's:
 * written only with a newer ledger sequence, and loaded from the database when missing.
 */
public final class RedisQuotas implements Quotas {

    static final String ADMIT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lease, ttl = ARGV[1], tonumber(ARGV[2])
            local rpm, tpm, par = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
            local tokens, reserve, metered = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8] == '1'
            local minimum = tonumber(ARGV[9])
            local acct, res, resamt, parz = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
            local expired = redis.call('ZRANGEBYSCORE', res, '-inf', now)
            if #expired > 0 then
              local amounts = redis.call('HMGET', resamt, unpack(expired))
              local sum = 0
              for i = 1, #amounts do if amounts[i] then sum = sum + tonumber(amounts[i]) end end
              redis.call('ZREM', res, unpack(expired))
              redis.call('HDEL', resamt, unpack(expired))
              if sum ~= 0 then redis.call('HINCRBY', acct, 'reserved', string.format('%.0f', -sum)) end
            end
            redis.call('ZREMRANGEBYSCORE', parz, '-inf', now)
            local function level(field, cap)
              local v = redis.call('HMGET', acct, field, field .. '_at')
              if not v[1] then return cap end
              local l = tonumber(v[1]) + (now - tonumber(v[2])) * cap / 60000
              if l > cap then l = cap end
              return l
            end
            local rq, tk = 0, 0
            if rpm > 0 then rq = level('rq', rpm) end
            if tpm > 0 then tk = level('tk', tpm) end
            local need = tokens
            if tpm > 0 and need > tpm then need = tpm end
            local verdict, retry = 'ADMITTED', 0
            if rpm > 0 and rq < 1 then
              verdict = 'REQUESTS_EXHAUSTED'; retry = math.ceil((1 - rq) * 60000 / rpm)
            elseif tpm > 0 and tk < need then
              verdict = 'TOKENS_EXHAUSTED'; retry = math.ceil((need - tk) * 60000 / tpm)
            elseif par > 0 and redis.call('ZCARD', parz) >= par then
              verdict = 'TOO_MANY_PARALLEL'; retry = 1000
            end
            local available = 0
            if verdict == 'ADMITTED' and metered then
              local b = redis.call('HMGET', acct, 'balance', 'reserved')
              if not b[1] then
                verdict = 'BALANCE_UNKNOWN'
              else
                available = tonumber(b[1]) - tonumber(b[2] or '0')
                if reserve > 0 and available < minimum then verdict = 'INSUFFICIENT_BALANCE' end
              end
            end
            local granted = 0
            if verdict == 'ADMITTED' then
              if rpm > 0 then rq = rq - 1; redis.call('HSET', acct, 'rq', tostring(rq), 'rq_at', string.format('%.0f', now)) end
              if tpm > 0 then tk = tk - need; redis.call('HSET', acct, 'tk', tostring(tk), 'tk_at', string.format('%.0f', now)) end
              if par > 0 then redis.call('ZADD', parz, now + ttl, lease) end
              if metered and reserve > 0 then
                granted = reserve
                if available < granted then granted = available end
                if granted < minimum then granted = minimum end
                local amount = string.format('%.0f', granted)
                redis.call('ZADD', res, now + ttl, lease)
                redis.call('HSET', resamt, lease, amount)
                redis.call('HINCRBY', acct, 'reserved', amount)
                available = available - granted
              end
            end
            local remReq, resetReq, remTok, resetTok = -1, 0, -1, 0
            if rpm > 0 then remReq = math.floor(math.max(rq, 0)); resetReq = math.ceil((rpm - rq) * 60000 / rpm) end
            if tpm > 0 then remTok = math.floor(math.max(tk, 0)); resetTok = math.ceil((tpm - tk) * 60000 / tpm) end
            return {verdict, string.format('%.0f', remReq), string.format('%.0f', resetReq), string.format('%.0f', remTok),
                    string.format('%.0f', resetTok), string.format('%.0f', retry), string.format('%.0f', available),
                    string.format('%.0f', granted)}
            """;

    /** The rpm and tpm buckets' levels now, changing nothing. */
    static final String PEEK = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
            local function level(field, cap)
              local v = redis.call('HMGET', KEYS[1], field, field .. '_at')
              if not v[1] then return cap end
              local l = tonumber(v[1]) + (now - tonumber(v[2])) * cap / 60000
              if l > cap then l = cap end
              return l
            end
            local remReq, resetReq, remTok, resetTok = -1, 0, -1, 0
            if rpm > 0 then
              local rq = level('rq', rpm)
              remReq = math.floor(math.max(rq, 0)); resetReq = math.ceil((rpm - rq) * 60000 / rpm)
            end
            if tpm > 0 then
              local tk = level('tk', tpm)
              remTok = math.floor(math.max(tk, 0)); resetTok = math.ceil((tpm - tk) * 60000 / tpm)
            end
            return {string.format('%.0f', remReq), string.format('%.0f', resetReq), string.format('%.0f', remTok),
                    string.format('%.0f', resetTok)}
            """;

    static final String APPLY = """
            local cur = redis.call('HGET', KEYS[1], 'seq')
            if (not cur) or (not redis.call('HGET', KEYS[1], 'balance')) or tonumber(ARGV[2]) > tonumber(cur) then
              redis.call('HSET', KEYS[1], 'balance', ARGV[1], 'seq', ARGV[2])
            end
            return 1
            """;

    static final String SETTLE = """
            local lease = ARGV[1]
            if ARGV[2] == '1' then
              local cur = redis.call('HGET', KEYS[1], 'seq')
              if (not cur) or tonumber(ARGV[4]) > tonumber(cur) then
                redis.call('HSET', KEYS[1], 'balance', ARGV[3], 'seq', ARGV[4])
              end
            end
            local amt = redis.call('HGET', KEYS[3], lease)
            if amt then
              redis.call('HDEL', KEYS[3], lease)
              redis.call('ZREM', KEYS[2], lease)
              redis.call('HINCRBY', KEYS[1], 'reserved', string.format('%.0f', -tonumber(amt)))
            end
            redis.call('ZREM', KEYS[4], lease)
            local tpm, delta = tonumber(ARGV[5]), tonumber(ARGV[6])
            if tpm > 0 and delta ~= 0 then
              local lvl = redis.call('HGET', KEYS[1], 'tk')
              if lvl then
                local l = tonumber(lvl) - delta
                if l > tpm then l = tpm end
                redis.call('HSET', KEYS[1], 'tk', tostring(l))
              end
            end
            return 1
            """;

    static final String RENEW = """
            local t = redis.call('TIME')
            local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
            redis.call('ZADD', KEYS[1], 'XX', until_, ARGV[1])
            redis.call('ZADD', KEYS[2], 'XX', until_, ARGV[1])
            return 1
            """;

    private final RedisAPI redis;
    private final String prefix;
    private final long leaseTtlMillis;
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();

    public RedisQuotas(RedisAPI redis, Vertx vertx, String prefix, long leaseTtlMillis) {
        this.redis = redis;
        this.prefix = prefix;
        this.leaseTtlMillis = leaseTtlMillis;
        vertx.setPeriodic(Math.max(1000, leaseTtlMillis / 3), id -> renewAll());
    }

    private List<String> keys(String keyId) {
        String base = prefix + ":{" + keyId + "}:";
        return List.of(base + "acct", base + "res", base + "resamt", base + "par");
    }

    @Override
    public Uni<Admission> admit(Request r) {
        List<String> args = new ArrayList<>(keys(r.keyId()));
        args.add(r.leaseId());
        args.add(Long.toString(leaseTtlMillis));
        args.add(Integer.toString(r.limits().rpmOr0()));
        args.add(Integer.toString(r.limits().tpmOr0()));
        args.add(Integer.toString(r.limits().parallelOr0()));
        args.add(Long.toString(r.tokens()));
        args.add(Long.toString(r.reserveMicros()));
        args.add(r.metered() ? "1" : "0");
        args.add(Long.toString(r.minReserveMicros()));
        return eval(ADMIT, 4, args).map(res -> {
            Verdict verdict = Verdict.valueOf(res.get(0).toString());
            if (verdict == Verdict.ADMITTED && (r.limits().parallelOr0() > 0 || (r.metered() && r.reserveMicros() > 0))) {
                leases.put(r.leaseId(), r.keyId());
            }
            return new Admission(verdict, num(res, 1), num(res, 2), num(res, 3), num(res, 4), num(res, 5), num(res, 6),
                    num(res, 7));
        });
    }

    @Override
    public Uni<Admission> peek(String keyId, Limits limits) {
        List<String> args = List.of(keys(keyId).get(0), Integer.toString(limits.rpmOr0()),
                Integer.toString(limits.tpmOr0()));
        return eval(PEEK, 1, args).map(res -> new Admission(Verdict.ADMITTED, num(res, 0), num(res, 1), num(res, 2),
                num(res, 3), 0, 0, 0));
    }

    @Override
    public Uni<Void> settle(Settlement s) {
        leases.remove(s.leaseId());
        List<String> args = new ArrayList<>(keys(s.keyId()));
        args.add(s.leaseId());
        args.add(s.balance() == null ? "0" : "1");
        args.add(s.balance() == null ? "0" : Long.toString(s.balance().micros()));
        args.add(s.balance() == null ? "0" : Long.toString(s.balance().seq()));
        args.add(Integer.toString(s.limits() == null ? 0 : s.limits().tpmOr0()));
        args.add(Long.toString(s.tokensUsed() - s.tokensTaken()));
        return eval(SETTLE, 4, args).replaceWithVoid();
    }

    @Override
    public Uni<Void> balanceChanged(Balance balance) {
        List<String> args = new ArrayList<>();
        args.add(keys(balance.keyId()).get(0));
        args.add(Long.toString(balance.micros()));
        args.add(Long.toString(balance.seq()));
        return eval(APPLY, 1, args).replaceWithVoid();
    }

    @Override
    public Uni<Long> reserved(String keyId) {
        return redis.hget(keys(keyId).get(0), "reserved")
                .map(r -> r == null ? 0L : Long.parseLong(r.toString()));
    }

    private void renewAll() {
        leases.forEach((lease, keyId) -> {
            List<String> k = keys(keyId);
            eval(RENEW, 2, List.of(k.get(1), k.get(3), lease, Long.toString(leaseTtlMillis)))
                    .subscribe().with(ok -> {
                    }, f -> Log.debugf("Lease renewal failed: %s", f.getMessage()));
        });
    }

    /** EVALSHA, loading the script on first use or after Redis forgot it. */
    private Uni<Response> eval(String script, int keyCount, List<String> keysAndArgs) {
        String sha = shas.get(script);
        if (sha == null) {
            return redis.script(List.of("LOAD", script)).chain(r -> {
                shas.put(script, r.toString());
                return evalsha(r.toString(), keyCount, keysAndArgs);
            });
        }
        return evalsha(sha, keyCount, keysAndArgs).onFailure(f -> String.valueOf(f.getMessage()).contains("NOSCRIPT"))
                .recoverWithUni(() -> {
                    shas.remove(script);
                    return eval(script, keyCount, keysAndArgs);
                });
    }

    private Uni<Response> evalsha(String sha, int keyCount, List<String> keysAndArgs) {
        List<String> args = new ArrayList<>(keysAndArgs.size() + 2);
        args.add(sha);
        args.add(Integer.toString(keyCount));
        args.addAll(keysAndArgs);
        return redis.evalsha(args);
    }

    private static long num(Response r, int i) {
        return Long.parseLong(r.get(i).toString());
    }
}
