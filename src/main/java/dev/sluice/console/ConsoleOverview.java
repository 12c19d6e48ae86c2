package dev.sluice.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.Caller;
import dev.sluice.money.Money;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeyStore;
import dev.sluice.store.UsageReports;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The figures of the console's overview: spend, requests and error rate today and this month, spend per day and
 * the top models (and, for the operator, keys) from the usage ledger, read through {@link UsageReports} exactly as
 * the usage API reads them; latency and Sluice's own overhead from the gateway's metrics (operator only: they
 * describe every key's traffic). Days are UTC days, as in the usage API.
 */
@ApplicationScoped
public class ConsoleOverview {

    static final int TOP = 5;
    static final int DAYS = 30;

    @Inject
    UsageReports usage;
    @Inject
    KeyStore keys;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper mapper;

    /** The overview for a caller: every key's figures for the master key, its own for a virtual key (blocking). */
    public ObjectNode of(Caller caller) {
        String keyId = caller.master() ? null : caller.keyId();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long tomorrow = dayStart(today.plusDays(1));
        long monthStart = dayStart(today.withDayOfMonth(1));

        ObjectNode out = mapper.createObjectNode();
        out.put("object", "console.overview");
        out.put("scope", caller.master() ? "all" : "key");
        out.put("day", today.toString());
        out.put("month", today.toString().substring(0, 7));
        totals(out.putObject("today"), usage.usage(keyId, dayStart(today), tomorrow, UsageReports.GroupBy.NONE));
        totals(out.putObject("this_month"), usage.usage(keyId, monthStart, tomorrow, UsageReports.GroupBy.NONE));

        ArrayNode days = out.putArray("days");
        Map<String, UsageReports.Row> byDay = usage.usage(keyId, dayStart(today.minusDays(DAYS - 1)), tomorrow,
                UsageReports.GroupBy.DAY).stream().collect(Collectors.toMap(UsageReports.Row::group, r -> r, (a, b) -> a));
        for (int i = DAYS - 1; i >= 0; i--) {
            String day = today.minusDays(i).toString();
            UsageReports.Row r = byDay.get(day);
            ObjectNode d = days.addObject();
            d.put("day", day);
            d.put("requests", r == null ? 0 : r.requests());
            d.put("cost_usd", Money.usd(r == null ? 0 : r.costMicros()));
        }

        top(out.putArray("top_models"), usage.usage(keyId, monthStart, tomorrow, UsageReports.GroupBy.MODEL),
                Function.identity());
        if (caller.master()) {
            Map<String, String> names = keys.loadAll().stream()
                    .collect(Collectors.toMap(KeyRecord::id, KeyRecord::name, (a, b) -> a));
            top(out.putArray("top_keys"), usage.usage(null, monthStart, tomorrow, UsageReports.GroupBy.KEY),
                    id -> names.getOrDefault(id, id));
            ObjectNode latency = out.putObject("latency_ms");
            var durations = registry.find("sluice_request_duration").timers();
            var overheads = registry.find("sluice_overhead").timers();
            putMillis(latency, "p50", HistogramQuantiles.millis(durations, 0.50));
            putMillis(latency, "p95", HistogramQuantiles.millis(durations, 0.95));
            ObjectNode overhead = out.putObject("overhead_ms");
            putMillis(overhead, "p50", HistogramQuantiles.millis(overheads, 0.50));
            putMillis(overhead, "p95", HistogramQuantiles.millis(overheads, 0.95));
        }
        return out;
    }

    private static void totals(ObjectNode node, List<UsageReports.Row> rows) {
        long requests = 0;
        long failed = 0;
        long cost = 0;
        for (UsageReports.Row r : rows) {
            requests += r.requests();
            failed += r.failed();
            cost += r.costMicros();
        }
        node.put("requests", requests);
        node.put("failed_requests", failed);
        node.put("error_rate", requests == 0 ? 0 : Math.round(10_000.0 * failed / requests) / 10_000.0);
        node.put("cost_usd", Money.usd(cost));
    }

    private static void top(ArrayNode out, List<UsageReports.Row> rows, Function<String, String> label) {
        rows.stream().filter(r -> r.group() != null)
                .sorted(Comparator.comparingLong(UsageReports.Row::costMicros).reversed()
                        .thenComparing(Comparator.comparingLong(UsageReports.Row::requests).reversed()))
                .limit(TOP).forEach(r -> {
                    ObjectNode o = out.addObject();
                    o.put("id", r.group());
                    o.put("label", label.apply(r.group()));
                    o.put("requests", r.requests());
                    o.put("cost_usd", Money.usd(r.costMicros()));
                });
    }

    /** A quantile; when it lies beyond the histogram's last bucket, {@code <field>_at_least} says so. */
    private static void putMillis(ObjectNode node, String field, HistogramQuantiles.Estimate estimate) {
        if (estimate == null) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(estimate.millis() * 100) / 100.0);
            node.put(field + "_at_least", estimate.atLeast());
        }
    }

    private static long dayStart(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
