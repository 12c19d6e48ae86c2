package dev.sluice.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Who is calling: the master key or a virtual key. Only the key's id ever appears in logs and records, never the
 * key itself.
 *
 * @param keyId   a stable, non-secret identifier of the key
 * @param role    master or virtual
 * @param details what the authenticator knows about the key (limits, credit...), for the features that need it
 */
public record Caller(String keyId, Role role, Object details) {

    /** Where request-scoped code finds the caller (a Vert.x routing-context attribute). */
    public static final String CONTEXT_KEY = "sluice.caller";

    /** The authenticated caller of the request a routing context belongs to (null before authentication). */
    public static Caller of(RoutingContext rc) {
        return rc.get(CONTEXT_KEY);
    }

    public enum Role {
        MASTER, VIRTUAL
    }

    public boolean master() {
        return role == Role.MASTER;
    }

    public <T> Optional<T> details(Class<T> type) {
        return type.isInstance(details) ? Optional.of(type.cast(details)) : Optional.empty();
    }
}
