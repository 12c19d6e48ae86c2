package dev.sluice.provider;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: its {@code event:} name (null when absent) and its {@code data:} payload, several data
 * lines joined with a line feed as the SSE specification says.
 */
public record SseEvent(String event, Buffer data) {

    public String text() {
        return data.toString(StandardCharsets.UTF_8);
    }

    /** Whether the payload is exactly the given ASCII text (e.g. {@code [DONE]}). */
    public boolean dataIs(String text) {
        if (data.length() != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (data.getByte(i) != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
