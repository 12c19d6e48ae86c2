package dev.sluice.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Where keys, balances and the usage ledger live, and how the replicas of a deployment share state.
 * With nothing set, everything is embedded (SQLite under {@code sluice.data-dir}, limits in memory).
 */
@ConfigMapping(prefix = "sluice.store")
public interface StoreConfig {

    /** A PostgreSQL URL ({@code jdbc:postgresql://...} or {@code postgresql://user:pw@host/db}); replaces the embedded store. */
    Optional<String> databaseUrl();

    /**
     * How the embedded store flushes a commit: {@code FULL} (default) fsyncs every group commit, so a response's
     * ledger line survives a power cut; {@code NORMAL} leaves the flush to the OS, which survives a crash or kill -9
     * of Sluice but not of the machine, and makes each commit much cheaper.
     */
    @WithDefault("FULL")
    String embeddedSync();

    /** A Redis URL ({@code redis://host:6379}); shares rate limits, reservations and revocations between replicas. */
    Optional<String> redisUrl();

    /** Prefix of every Redis key and channel Sluice uses, so that several deployments can share one Redis. */
    @WithDefault("sluice")
    String redisPrefix();

    /** How often each replica re-reads the keys from the database (the bound on revocation delay without Redis). */
    @WithDefault("5s")
    Duration refreshInterval();

    /**
     * How long a reservation or a parallel-request slot held in Redis outlives a replica that died holding it;
     * live replicas renew theirs every third of this.
     */
    @WithDefault("30s")
    Duration leaseTtl();

    /** Most ledger records written in one transaction. */
    @WithDefault("1000")
    int maxBatch();

    /**
     * How long a ledger commit may wait for more lines to share its transaction (and its fsync), counted from the
     * first line's arrival; used only while lines arrive less than this apart, so a lone request never waits.
     * In microseconds (durations in configuration go down to milliseconds only), at most 1000; 0 commits every
     * group at once.
     */
    @WithDefault("250")
    int commitLingerUs();

    /**
     * How long a response waits for its ledger record to be committed before the client gets a 503 instead
     * (the record itself is still written as soon as the database is back).
     */
    @WithDefault("10s")
    Duration writeTimeout();
}
