package dev.sluice.auth;

import io.smallrye.mutiny.Uni;

/**
 * Recognises a presented API key. Authenticators are tried in {@link #order()} until one answers; each must be
 * non-blocking (keys are looked up in memory or through a reactive client) and compare secrets in constant time.
 */
public interface KeyAuthenticator {

    /** The caller the key belongs to, a null item when this authenticator does not know the key, or a failure
     * ({@link dev.sluice.openai.ApiException}) for a key it knows but refuses (expired, revoked). */
    Uni<Caller> authenticate(String presentedKey);

    /** Lower runs first. */
    default int order() {
        return 100;
    }
}
