package dev.sluice.api;

import dev.sluice.auth.Caller;
import dev.sluice.auth.KeyGate;
import dev.sluice.openai.ApiException;
import dev.sluice.api.ErrorResponses;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} and {@code /admin} request served by a REST resource, through the
 * {@link KeyGate}: the caller is kept on the request for the resource, a refusal answers in OpenAI's envelope.
 */
@Singleton
public class AuthFilter {

    private final KeyGate gate;

    @Inject
    public AuthFilter(KeyGate gate) {
        this.gate = gate;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext rc) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.startsWith("/admin");
        if (!admin && !path.startsWith("/v1")) {
            return Uni.createFrom().nullItem();
        }
        return gate.admit(request::getHeaderString, admin)
                .map(caller -> {
                    rc.put(Caller.CONTEXT_KEY, caller);
                    return (Response) null;
                })
                .onFailure(ApiException.class).recoverWithItem(f -> ErrorResponses.of((ApiException) f));
    }
}
