package dev.sluice.auth;

import dev.sluice.api.ApiException;
import dev.sluice.api.ErrorResponses;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates every {@code /v1} and {@code /admin} request. The key is read from {@code Authorization: Bearer},
 * {@code api-key} (Azure style) or {@code x-api-key} (Anthropic style); the {@link KeyAuthenticator}s decide who
 * it belongs to. Admin routes accept the master key only.
 *
 * <p>A request refused here has no key to attribute it to, so it has no ledger line; it is counted instead, in
 * {@code sluice_auth_failures_total{reason}} (the error code: {@code missing_api_key}, {@code invalid_api_key},
 * {@code key_revoked}, {@code key_expired}).
 */
@Singleton
public class AuthFilter {

    private final Instance<KeyAuthenticator> available;
    private final Instance<MeterRegistry> registry;
    private volatile List<KeyAuthenticator> authenticators;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    @Inject
    public AuthFilter(Instance<KeyAuthenticator> authenticators, Instance<MeterRegistry> registry) {
        // sorted on first use: asking a bean its order() creates it, which must not happen while the filter is
        // built at static init (authenticators read runtime configuration); the registry likewise
        this.available = authenticators;
        this.registry = registry;
    }

    private List<KeyAuthenticator> authenticators() {
        List<KeyAuthenticator> sorted = authenticators;
        if (sorted == null) {
            sorted = available.stream().sorted(Comparator.comparingInt(KeyAuthenticator::order)).toList();
            authenticators = sorted;
        }
        return sorted;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext rc) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.startsWith("/admin");
        if (!admin && !path.startsWith("/v1")) {
            return Uni.createFrom().nullItem();
        }
        String key = presentedKey(request);
        if (key == null) {
            return refuse(ApiException.unauthorized("You didn't provide an API key. Send it as 'Authorization: "
                    + "Bearer <key>' (or in an 'api-key' or 'x-api-key' header).", "missing_api_key"));
        }
        return tryFrom(0, key).map(caller -> {
            if (caller == null) {
                return refused(ApiException.unauthorized("Incorrect API key provided.", "invalid_api_key"));
            }
            if (admin && !caller.master()) {
                return ErrorResponses.of(ApiException.forbidden("Admin routes require the master key.",
                        "admin_only"));
            }
            rc.put(Caller.CONTEXT_KEY, caller);
            return null;
        }).onFailure(ApiException.class).recoverWithItem(f -> refused((ApiException) f));
    }

    /** The response to a request that could not be authenticated, counted by reason. */
    private Response refused(ApiException e) {
        if (e.status() == 401) {
            failures.computeIfAbsent(e.code(), reason -> Counter.builder("sluice_auth_failures")
                    .description("Requests refused because their key is missing, unknown, revoked or expired "
                            + "(not in the usage ledger: there is no key to attribute them to)")
                    .tag("reason", reason).register(registry.get())).increment();
        }
        return ErrorResponses.of(e);
    }

    private Uni<Caller> tryFrom(int index, String key) {
        List<KeyAuthenticator> all = authenticators();
        if (index >= all.size()) {
            return Uni.createFrom().nullItem();
        }
        return all.get(index).authenticate(key)
                .chain(caller -> caller != null ? Uni.createFrom().item(caller) : tryFrom(index + 1, key));
    }

    private Uni<Response> refuse(ApiException e) {
        return Uni.createFrom().item(refused(e));
    }

    static String presentedKey(ContainerRequestContext request) {
        String auth = request.getHeaderString("Authorization");
        if (auth != null) {
            String a = auth.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String k = a.substring(7).strip();
                return k.isEmpty() ? null : k;
            }
        }
        for (String header : new String[] {"api-key", "x-api-key"}) {
            String v = request.getHeaderString(header);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The authenticated caller of the current request. */
    public static Caller caller(RoutingContext rc) {
        return rc.get(Caller.CONTEXT_KEY);
    }
}
