package dev.sluice.store;

import java.util.List;

/**
 * The settings of a virtual key an operator chooses and may change: everything but its secret, its revocation
 * and its balance, which change only through their own operations ({@link KeyStore#rotate},
 * {@link KeyStore#revoke}, ledger lines), so that an edit can never undo one of them.
 *
 * @param models   allow-list globs (empty: every model)
 * @param metadata    JSON object text, or null
 * @param logRequests request log for this key: null follows the global setting
 * @param logBodies   bodies in the request log for this key: null follows the global setting
 * @param cache       whether the key's deterministic requests use the response cache by default
 */
public record KeySettings(String name, List<String> models, Integer rpm, Integer tpm, Integer maxParallel,
                          boolean unlimited, Long expiresAt, String metadata, Boolean logRequests, Boolean logBodies,
                          boolean cache) {

    public KeySettings {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** The settings a stored key has now. */
    public static KeySettings of(KeyRecord key) {
        return new KeySettings(key.name(), key.models(), key.rpm(), key.tpm(), key.maxParallel(), key.unlimited(),
                key.expiresAt(), key.metadata(), key.logRequests(), key.logBodies(), key.cache());
    }
}
