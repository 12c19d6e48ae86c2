package dev.sluice.logs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.money.Money;
import dev.sluice.pipeline.Pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The request log's JSON: a row as the admin API shows it, and the listing's query parameters read and checked. */
final class LogView {

    private LogView() {
    }

    /** A row; bodies only in the detail view, and only when they were kept. */
    static ObjectNode row(LogEntry e, boolean detail) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("object", "request_log");
        v.put("id", e.requestId());
        v.put("cursor", Long.toString(e.id()));
        v.put("created_at", Instant.ofEpochMilli(e.ts()).toString());
        v.put("key_id", e.keyId());
        v.put("session", e.session());
        v.put("protocol", e.protocol());
        v.put("operation", e.operation());
        v.put("stream", e.stream());
        v.put("model", e.requestedModel());
        v.put("served_model", e.servedModel());
        v.put("provider", e.provider());
        v.put("deployment", e.deployment());
        v.put("attempts", e.attempts());
        v.put("status", e.status());
        v.put("outcome", e.outcome());
        v.put("error_code", e.errorCode());
        v.put("duration_ms", millis(e.durationUs()));
        v.put("overhead_ms", millis(e.overheadUs()));
        if (e.ttftUs() == null) {
            v.putNull("ttft_ms");
        } else {
            v.put("ttft_ms", millis(e.ttftUs()));
        }
        ObjectNode usage = v.putObject("usage");
        usage.put("prompt_tokens", e.promptTokens());
        usage.put("completion_tokens", e.completionTokens());
        usage.put("cached_tokens", e.cachedTokens());
        usage.put("reasoning_tokens", e.reasoningTokens());
        v.put("cost_usd", Money.usd(e.costMicros()));
        v.put("cost_estimated", e.estimated());
        if (detail) {
            v.put("request_body", e.requestBody());
            v.put("response_body", e.responseBody());
        }
        return v;
    }

    private static double millis(long micros) {
        return Double.parseDouble(Pipeline.millis(micros * 1000));
    }

    static Integer status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int s = Integer.parseInt(text.strip());
            if (s >= 100 && s <= 599) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw ApiException.invalidRequest("status must be an HTTP status code (100-599)", "status");
    }

    static int limit(String text) {
        if (text == null || text.isBlank()) {
            return LogFilter.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= LogFilter.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw ApiException.invalidRequest("limit must be between 1 and " + LogFilter.MAX_LIMIT, "limit");
    }

    static Long cursor(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(text.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw ApiException.invalidRequest("before must be the cursor of a row (a previous page's next_cursor)",
                "before");
    }

    /**
     * A time bound: an ISO-8601 instant ({@code 2026-12-07T21:00:00Z}), a date (its first instant, UTC; a date
     * {@code to} includes that whole day), or epoch milliseconds.
     */
    static Long time(String text, String param, boolean endOfDay) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.chars().allMatch(Character::isDigit) && t.length() <= 15) {
                return Long.parseLong(t);
            }
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.invalidRequest(param + " must be an ISO-8601 instant, a date or epoch milliseconds",
                    param);
        }
    }

    /** Blank query parameters mean "not filtered". */
    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
