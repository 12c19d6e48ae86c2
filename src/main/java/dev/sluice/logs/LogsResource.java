package dev.sluice.logs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ApiException;
import dev.sluice.api.Secrets;
import dev.sluice.auth.AuthFilter;
import dev.sluice.auth.Caller;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The request log's API. {@code /admin/logs} is the operator's (master key; the auth filter refuses virtual keys
 * there with 403, as on every admin route); {@code /v1/logs} is what a key may read of its own rows, as
 * {@code /v1/usage} is for usage: a virtual key sees only its rows, another key's request id is a 404.
 */
@Tag(name = "Request log")
@Path("/")
public class LogsResource {

    private static final String FILTERS = "Filters: key (key id), model (requested, served or provider/model), "
            + "status, session, from/to (ISO instant, date or epoch ms); newest first, limit (default 50, at most "
            + "500) rows a page, then before=<next_cursor> for the next page.";

    @Inject
    RequestLog log;

    @GET
    @Path("/admin/logs")
    @Blocking
    @Operation(summary = "Request log: rows of every key", description = FILTERS)
    public Response adminList(@QueryParam("key") String key, @QueryParam("model") String model,
                              @QueryParam("status") String status, @QueryParam("session") String session,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("before") String before, @QueryParam("limit") String limit) {
        return list(LogView.text(key), model, status, session, from, to, before, limit);
    }

    @GET
    @Path("/admin/logs/{request_id}")
    @Blocking
    @Operation(summary = "Request log: one request, bodies included when they were kept")
    public Response adminGet(@PathParam("request_id") String requestId) {
        return one(requestId, null);
    }

    @GET
    @Path("/v1/logs")
    @Blocking
    @Operation(summary = "Request log: the calling key's rows", description = FILTERS + " The master key reads "
            + "every key's rows here too.")
    public Response ownList(RoutingContext rc, @QueryParam("key") String key, @QueryParam("model") String model,
                            @QueryParam("status") String status, @QueryParam("session") String session,
                            @QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("before") String before, @QueryParam("limit") String limit) {
        Caller caller = AuthFilter.caller(rc);
        String keyId = LogView.text(key);
        if (!caller.master()) {
            if (keyId != null && !keyId.equals(caller.keyId())) {
                throw ApiException.forbidden("A key may read only its own request log.", "not_own_key");
            }
            keyId = caller.keyId();
        }
        return list(keyId, model, status, session, from, to, before, limit);
    }

    @GET
    @Path("/v1/logs/{request_id}")
    @Blocking
    @Operation(summary = "Request log: one of the calling key's requests")
    public Response ownGet(RoutingContext rc, @PathParam("request_id") String requestId) {
        Caller caller = AuthFilter.caller(rc);
        return one(requestId, caller.master() ? null : caller.keyId());
    }

    private Response list(String keyId, String model, String status, String session, String from, String to,
                          String before, String limit) {
        LogFilter filter = new LogFilter(keyId, LogView.text(model), LogView.status(status), LogView.text(session),
                LogView.time(from, "from", false), LogView.time(to, "to", true), LogView.cursor(before),
                LogView.limit(limit));
        RequestLogStore.Page page = log.list(filter);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        page.rows().forEach(r -> data.add(LogView.row(r, false)));
        out.put("has_more", page.hasMore());
        if (page.hasMore()) {
            out.put("next_cursor", Long.toString(page.rows().get(page.rows().size() - 1).id()));
        } else {
            out.putNull("next_cursor");
        }
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    private Response one(String requestId, String keyId) {
        LogEntry row = log.find(requestId, keyId).orElseThrow(() -> ApiException.notFound(
                "No request log entry with id '" + Secrets.redact(requestId) + "'.", "log_not_found"));
        return Response.ok(LogView.row(row, true), MediaType.APPLICATION_JSON).build();
    }
}
