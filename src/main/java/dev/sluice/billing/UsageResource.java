package dev.sluice.billing;

import dev.sluice.money.Money;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.Caller;
import dev.sluice.keys.KeyDirectory;
import dev.sluice.keys.VirtualKey;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Quotas;
import dev.sluice.store.UsageReports;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.List;

/** What a key may know about itself: its balance and its own usage, nothing about any other key. */
@Path("/v1")
@Tag(name = "Usage")
public class UsageResource {

    @Inject
    Reports reports;
    @Inject
    UsageReports store;
    @Inject
    KeyStore keys;
    @Inject
    KeyDirectory directory;
    @Inject
    Quotas quotas;
    @Inject
    ObjectMapper mapper;

    @GET
    @Path("/balance")
    @Blocking
    @Operation(summary = "The calling key's balance and spend")
    public Response balance(RoutingContext rc) {
        Caller caller = Caller.of(rc);
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "balance");
        out.put("key_id", caller.keyId());
        out.put("currency", "USD");
        UsageReports.Row total = store.usage(caller.keyId(), 0, Long.MAX_VALUE, UsageReports.GroupBy.NONE).stream()
                .findFirst().orElse(new UsageReports.Row(null, 0, 0, 0, 0, 0, 0, 0, 0));
        VirtualKey key = caller.details(VirtualKey.class).orElse(null);
        if (key == null) {
            out.put("unlimited", true);
            out.putNull("balance_usd");
        } else {
            KeyRecord fresh = keys.load(key.id()).orElse(key.record());
            long reserved = quotas.reserved(key.id()).await().atMost(Duration.ofSeconds(5));
            out.put("name", fresh.name());
            out.put("unlimited", fresh.unlimited());
            out.put("balance_usd", Money.usd(fresh.balanceMicros()));
            out.put("reserved_usd", Money.usd(reserved));
            out.put("available_usd", Money.usd(fresh.balanceMicros() - reserved));
            out.put("credited_usd", Money.usd(store.credits(key.id(), 0, Long.MAX_VALUE)));
        }
        out.put("spent_usd", Money.usd(total.costMicros()));
        out.put("requests", total.requests());
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/usage")
    @Blocking
    @Operation(summary = "The calling key's usage", description = "from/to: dates or ISO times (default: the last "
            + "30 days); group_by: model or day. JSON, or CSV with Accept: text/csv.")
    public Response usage(RoutingContext rc, @Context HttpHeaders headers, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("group_by") String groupBy) {
        Caller caller = Caller.of(rc);
        return reports.usage(headers, caller.keyId(), Reports.period(from, to), Reports.groupBy(groupBy,
                List.of(UsageReports.GroupBy.NONE, UsageReports.GroupBy.MODEL, UsageReports.GroupBy.DAY)));
    }

    @GET
    @Path("/invoices/{month}")
    @Blocking
    @Operation(summary = "The calling key's invoice for a month", description = "The same lines as the admin "
            + "invoice, for this key only. JSON, or CSV with Accept: text/csv.")
    public Response invoice(RoutingContext rc, @Context HttpHeaders headers, @PathParam("month") String month) {
        return reports.invoice(headers, month, Caller.of(rc).keyId());
    }
}
