package dev.sluice.logs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import io.smallrye.common.annotation.Blocking;
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
 * The request log for the operator: every key's rows (master key; the auth filter refuses virtual keys here with
 * 403, as on every admin route). A key reads its own rows at {@code /v1/logs} ({@link KeyLogsResource}).
 */
@Tag(name = "Request log")
@Path("/admin/logs")
public class AdminLogsResource {

    static final String FILTERS = "Filters: key (key id), model (requested, served or provider/model), "
            + "status, session, from/to (ISO instant, date or epoch ms); newest first, limit (default 50, at most "
            + "500) rows a page, then before=<next_cursor> for the next page.";

    @Inject
    RequestLog log;

    @GET
    @Blocking
    @Operation(summary = "Request log: rows of every key", description = FILTERS)
    public Response list(@QueryParam("key") String key, @QueryParam("model") String model,
                         @QueryParam("status") String status, @QueryParam("session") String session,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("before") String before, @QueryParam("limit") String limit) {
        return page(log, LogView.text(key), model, status, session, from, to, before, limit);
    }

    @GET
    @Path("/{request_id}")
    @Blocking
    @Operation(summary = "Request log: one request, bodies included when they were kept")
    public Response get(@PathParam("request_id") String requestId) {
        return one(log, requestId, null);
    }

    static Response page(RequestLog log, String keyId, String model, String status, String session, String from,
                         String to, String before, String limit) {
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

    static Response one(RequestLog log, String requestId, String keyId) {
        LogEntry row = log.find(requestId, keyId).orElseThrow(() -> ApiException.notFound(
                "No request log entry with id '" + Secrets.redact(requestId) + "'.", "log_not_found"));
        return Response.ok(LogView.row(row, true), MediaType.APPLICATION_JSON).build();
    }
}
