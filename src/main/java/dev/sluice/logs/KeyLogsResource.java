package dev.sluice.logs;

import dev.sluice.openai.ApiException;
import dev.sluice.api.AuthFilter;
import dev.sluice.auth.Caller;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a key may read of the request log: its own rows only, as {@code /v1/usage} is its own usage. Another key's
 * request id is a 404, asking for another key's rows a 403. The master key reads every key's rows here too.
 */
@Tag(name = "Request log")
@Path("/v1/logs")
public class KeyLogsResource {

    @Inject
    RequestLog log;

    @GET
    @Blocking
    @Operation(summary = "Request log: the calling key's rows", description = AdminLogsResource.FILTERS)
    public Response list(RoutingContext rc, @QueryParam("key") String key, @QueryParam("model") String model,
                         @QueryParam("status") String status, @QueryParam("session") String session,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("before") String before, @QueryParam("limit") String limit) {
        Caller caller = Caller.of(rc);
        String keyId = LogView.text(key);
        if (!caller.master()) {
            if (keyId != null && !keyId.equals(caller.keyId())) {
                throw ApiException.forbidden("A key may read only its own request log.", "not_own_key");
            }
            keyId = caller.keyId();
        }
        return AdminLogsResource.page(log, keyId, model, status, session, from, to, before, limit);
    }

    @GET
    @Path("/{request_id}")
    @Blocking
    @Operation(summary = "Request log: one of the calling key's requests")
    public Response get(RoutingContext rc, @PathParam("request_id") String requestId) {
        Caller caller = Caller.of(rc);
        return AdminLogsResource.one(log, requestId, caller.master() ? null : caller.keyId());
    }
}
