package dev.sluice.billing;

import dev.sluice.store.UsageReports;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Usage across keys and monthly invoices, for the operator (master key only). */
@Path("/admin")
@Tag(name = "Admin")
public class AdminUsageResource {

    @Inject
    Reports reports;

    @GET
    @Path("/usage")
    @Blocking
    @Operation(summary = "Usage of every key", description = "from/to: dates or ISO times (default: the last 30 "
            + "days); group_by: key, model, provider or day; key: one key only. JSON, or CSV with Accept: text/csv.")
    public Response usage(@Context HttpHeaders headers, @QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("group_by") String groupBy, @QueryParam("key") String key) {
        return reports.usage(headers, key == null || key.isBlank() ? null : key, Reports.period(from, to),
                Reports.groupBy(groupBy, List.of(UsageReports.GroupBy.NONE, UsageReports.GroupBy.KEY,
                        UsageReports.GroupBy.MODEL, UsageReports.GroupBy.PROVIDER, UsageReports.GroupBy.DAY)));
    }

    @GET
    @Path("/invoices/{month}")
    @Blocking
    @Operation(summary = "A month's invoice", description = "One invoice across every provider: a line per key and "
            + "served model. key: one key only. JSON, or CSV with Accept: text/csv.")
    public Response invoice(@Context HttpHeaders headers, @PathParam("month") String month,
                            @QueryParam("key") String key) {
        return reports.invoice(headers, month, key == null || key.isBlank() ? null : key);
    }
}
