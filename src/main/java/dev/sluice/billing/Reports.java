package dev.sluice.billing;

import dev.sluice.money.Money;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.JsonFields;
import dev.sluice.store.UsageReports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Usage reports and invoices, as JSON or, for clients that send {@code Accept: text/csv}, as CSV with the same
 * rows and the same figures (USD with six decimals, i.e. exact micro-dollars).
 */
@ApplicationScoped
public class Reports {

    public static final String CSV = "text/csv";
    private static final String[] USAGE_COLUMNS = {"group", "requests", "failed_requests", "prompt_tokens",
            "completion_tokens", "cached_tokens", "reasoning_tokens", "web_pages", "cost_usd"};
    private static final String[] INVOICE_COLUMNS = {"key_id", "provider", "model", "requests", "prompt_tokens",
            "completion_tokens", "cached_tokens", "reasoning_tokens", "amount_usd"};

    @Inject
    UsageReports store;
    @Inject
    ObjectMapper mapper;

    /** A period: {@code from} inclusive, {@code to} exclusive, epoch ms. */
    public record Period(long from, long to) {
    }

    /**
     * Reads {@code from}/{@code to} (ISO dates or instants; a date {@code to} includes that whole day). Default:
     * the last 30 days.
     */
    public static Period period(String from, String to) {
        long now = System.currentTimeMillis();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long start = from == null || from.isBlank() ? dayStart(today.minusDays(29)) : parse(from, "from", false);
        long end = to == null || to.isBlank() ? dayStart(today.plusDays(1)) : parse(to, "to", true);
        if (end <= start) {
            throw ApiException.invalidRequest("'to' must come after 'from'", "to");
        }
        return new Period(start, end);
    }

    private static long parse(String text, String param, boolean endOfDay) {
        String t = text.strip();
        try {
            LocalDate d = LocalDate.parse(t);
            return dayStart(endOfDay ? d.plusDays(1) : d);
        } catch (DateTimeParseException notADate) {
            Long instant = JsonFields.parseInstant(t);
            if (instant == null) {
                throw ApiException.invalidRequest(param + " must be a date (2026-11-01) or an ISO-8601 time", param);
            }
            return instant;
        }
    }

    static long dayStart(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public static UsageReports.GroupBy groupBy(String value, List<UsageReports.GroupBy> allowed) {
        if (value == null || value.isBlank()) {
            return UsageReports.GroupBy.NONE;
        }
        try {
            UsageReports.GroupBy g = UsageReports.GroupBy.valueOf(value.strip().toUpperCase(Locale.ROOT));
            if (allowed.contains(g)) {
                return g;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw ApiException.invalidRequest("group_by must be one of " + allowed.stream()
                .map(g -> g.name().toLowerCase(Locale.ROOT)).toList(), "group_by");
    }

    public Response usage(HttpHeaders headers, String keyId, Period period, UsageReports.GroupBy groupBy) {
        List<UsageReports.Row> rows = store.usage(keyId, period.from(), period.to(), groupBy);
        if (wantsCsv(headers)) {
            StringBuilder csv = new StringBuilder(String.join(",", USAGE_COLUMNS)).append("\r\n");
            for (UsageReports.Row r : rows) {
                line(csv, r.group() == null ? "all" : r.group(), r.requests(), r.failed(), r.promptTokens(),
                        r.completionTokens(), r.cachedTokens(), r.reasoningTokens(), r.extractPages(),
                        Money.usdText(r.costMicros()));
            }
            return Response.ok(csv.toString(), CSV + "; charset=utf-8").build();
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "usage");
        if (keyId != null) {
            out.put("key_id", keyId);
        }
        out.put("from", Instant.ofEpochMilli(period.from()).toString());
        out.put("to", Instant.ofEpochMilli(period.to()).toString());
        out.put("group_by", groupBy.name().toLowerCase(Locale.ROOT));
        ArrayNode data = out.putArray("data");
        long total = 0;
        long requests = 0;
        for (UsageReports.Row r : rows) {
            ObjectNode row = data.addObject();
            if (r.group() != null) {
                row.put("group", r.group());
            }
            row.put("requests", r.requests());
            row.put("failed_requests", r.failed());
            row.put("prompt_tokens", r.promptTokens());
            row.put("completion_tokens", r.completionTokens());
            row.put("cached_tokens", r.cachedTokens());
            row.put("reasoning_tokens", r.reasoningTokens());
            row.put("web_pages", r.extractPages());
            row.put("cost_usd", Money.usd(r.costMicros()));
            total += r.costMicros();
            requests += r.requests();
        }
        out.put("total_requests", requests);
        out.put("total_cost_usd", Money.usd(total));
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    public Response invoice(HttpHeaders headers, String month, String keyId) {
        YearMonth ym;
        try {
            ym = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("The invoice month must be yyyy-mm, e.g. 2026-11", "month");
        }
        long from = dayStart(ym.atDay(1));
        long to = dayStart(ym.plusMonths(1).atDay(1));
        List<UsageReports.InvoiceLine> lines = store.invoiceLines(keyId, from, to);
        if (wantsCsv(headers)) {
            StringBuilder csv = new StringBuilder(String.join(",", INVOICE_COLUMNS)).append("\r\n");
            for (UsageReports.InvoiceLine l : lines) {
                line(csv, l.keyId(), l.provider(), l.model(), l.requests(), l.promptTokens(), l.completionTokens(),
                        l.cachedTokens(), l.reasoningTokens(), Money.usdText(l.costMicros()));
            }
            return Response.ok(csv.toString(), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"invoice-" + ym + (keyId == null ? "" : "-" + keyId)
                            + ".csv\"").build();
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "invoice");
        out.put("period", ym.toString());
        out.put("from", Instant.ofEpochMilli(from).toString());
        out.put("to", Instant.ofEpochMilli(to).toString());
        if (keyId != null) {
            out.put("key_id", keyId);
        } else {
            out.putNull("key_id");
        }
        out.put("currency", "USD");
        ArrayNode data = out.putArray("lines");
        long total = 0;
        for (UsageReports.InvoiceLine l : lines) {
            ObjectNode row = data.addObject();
            row.put("key_id", l.keyId());
            row.put("provider", l.provider());
            row.put("model", l.model());
            row.put("requests", l.requests());
            row.put("prompt_tokens", l.promptTokens());
            row.put("completion_tokens", l.completionTokens());
            row.put("cached_tokens", l.cachedTokens());
            row.put("reasoning_tokens", l.reasoningTokens());
            row.put("amount_usd", Money.usd(l.costMicros()));
            total += l.costMicros();
        }
        out.put("credits_usd", Money.usd(store.credits(keyId, from, to)));
        out.put("total_usd", Money.usd(total));
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    static boolean wantsCsv(HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(CSV);
    }

    private static void line(StringBuilder csv, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(String.valueOf(cells[i])));
        }
        csv.append("\r\n");
    }

    /** RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not evaluate it. */
    static String cell(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?\\d+(\\.\\d+)?")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
