package dev.sluice.auth;

import dev.sluice.openai.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides who sent a {@code /v1} or {@code /admin} request. The key is read from {@code Authorization: Bearer},
 * {@code api-key} (Azure style) or {@code x-api-key} (Anthropic style); the {@link KeyAuthenticator}s, in order,
 * decide whom it belongs to. Admin routes accept the master key only. Used by the REST resources' filter
 * ({@link AuthFilter}) and by the routes that write their responses themselves.
 *
 * <p>A request refused here has no key to attribute it to, so it has no ledger line; it is counted instead, in
 * {@code sluice_auth_failures_total{reason}} (the error code: {@code missing_api_key}, {@code invalid_api_key},
 * {@code key_revoked}, {@code key_expired}).
 */
@Singleton
public class KeyGate {

    private final Instance<KeyAuthenticator> available;
    private final Instance<MeterRegistry> registry;
    private final Instance<SessionKeys> sessions;
    private volatile List<KeyAuthenticator> authenticators;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    @Inject
    public KeyGate(Instance<KeyAuthenticator> authenticators, Instance<MeterRegistry> registry,
                   Instance<SessionKeys> sessions) {
        // sorted on first use: asking a bean its order() creates it, which must not happen while a filter is
        // built at static init (authenticators read runtime configuration); the registry likewise
        this.available = authenticators;
        this.registry = registry;
        this.sessions = sessions;
    }

    /**
     * The caller of a request, from its headers; fails with the {@link ApiException} to answer (401 without a
     * valid key, 403 for an admin route without the master key).
     */
    public Uni<Caller> admit(Function<String, String> headers, boolean admin) {
        String key = presentedKey(headers);
        if (key == null) {
            key = sessionKey(headers);
        }
        if (key == null) {
            return Uni.createFrom().failure(refused(ApiException.unauthorized("You didn't provide an API key. Send "
                    + "it as 'Authorization: Bearer <key>' (or in an 'api-key' or 'x-api-key' header).",
                    "missing_api_key")));
        }
        return authenticate(key).map(caller -> {
            if (caller == null) {
                throw ApiException.unauthorized("Incorrect API key provided.", "invalid_api_key");
            }
            if (admin && !caller.master()) {
                throw ApiException.forbidden("Admin routes require the master key.", "admin_only");
            }
            return caller;
        }).onFailure(ApiException.class).transform(f -> refused((ApiException) f));
    }

    /**
     * Whom a key belongs to, through the same authenticators as a request's key: a null item for an unknown key,
     * an {@link ApiException} (401) for a revoked or expired one. For callers that hold a key rather than a request.
     */
    public Uni<Caller> authenticate(String key) {
        return tryFrom(0, key);
    }

    private String sessionKey(Function<String, String> headers) {
        for (SessionKeys s : sessions) {
            String key = s.keyOf(headers);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /** Counts a refusal by reason (401s only: a 403 had a valid key). */
    private ApiException refused(ApiException e) {
        if (e.status() == 401) {
            failures.computeIfAbsent(e.code(), reason -> Counter.builder("sluice_auth_failures")
                    .description("Requests refused because their key is missing, unknown, revoked or expired "
                            + "(not in the usage ledger: there is no key to attribute them to)")
                    .tag("reason", reason).register(registry.get())).increment();
        }
        return e;
    }

    private List<KeyAuthenticator> authenticators() {
        List<KeyAuthenticator> sorted = authenticators;
        if (sorted == null) {
            sorted = available.stream().sorted(Comparator.comparingInt(KeyAuthenticator::order)).toList();
            authenticators = sorted;
        }
        return sorted;
    }

    private Uni<Caller> tryFrom(int index, String key) {
        List<KeyAuthenticator> all = authenticators();
        if (index >= all.size()) {
            return Uni.createFrom().nullItem();
        }
        return all.get(index).authenticate(key)
                .chain(caller -> caller != null ? Uni.createFrom().item(caller) : tryFrom(index + 1, key));
    }

    /** The key a request presents, or null. */
    public static String presentedKey(Function<String, String> headers) {
        String auth = headers.apply("Authorization");
        if (auth != null) {
            String a = auth.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String k = a.substring(7).strip();
                return k.isEmpty() ? null : k;
            }
        }
        for (String header : new String[] {"api-key", "x-api-key"}) {
            String v = headers.apply(header);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
