package dev.sluice.store;

import java.util.List;

/**
 * A virtual key as stored: never the key itself, only its SHA-256. {@code models} holds allow-list globs
 * (empty: every model); limits are null when not set.
 *
 * @param hint           the last characters of the key, to tell keys apart in lists
 * @param metadata       JSON object text, or null
 * @param balanceMicros  credit left, in micro-dollars (the sum of the key's ledger amounts)
 * @param balanceSeq     how many ledger amounts the balance includes; orders balance updates between replicas
 * @param logRequests    whether the key's requests go to the request log; null follows {@code sluice.request-log.enabled}
 * @param logBodies      whether their bodies are kept too; null follows {@code sluice.request-log.bodies}
 * @param cache          whether the key's requests use the response cache by default (deterministic ones only)
 */
public record KeyRecord(String id, String name, String secretHash, String hint, List<String> models, Integer rpm,
                        Integer tpm, Integer maxParallel, boolean unlimited, Long expiresAt, String metadata,
                        long createdAt, long updatedAt, Long revokedAt, long balanceMicros, long balanceSeq,
                        Boolean logRequests, Boolean logBodies, boolean cache) {

    public KeyRecord {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** A key that follows the global request-log settings and does not use the response cache by default. */
    public KeyRecord(String id, String name, String secretHash, String hint, List<String> models, Integer rpm,
                     Integer tpm, Integer maxParallel, boolean unlimited, Long expiresAt, String metadata,
                     long createdAt, long updatedAt, Long revokedAt, long balanceMicros, long balanceSeq) {
        this(id, name, secretHash, hint, models, rpm, tpm, maxParallel, unlimited, expiresAt, metadata, createdAt,
                updatedAt, revokedAt, balanceMicros, balanceSeq, null, null, false);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }

    public Balance balance() {
        return new Balance(id, balanceMicros, balanceSeq);
    }

    @Override
    public String toString() {
        // the hash stays out of logs too
        return "KeyRecord[id=" + id + ", name=" + name + "]";
    }
}
