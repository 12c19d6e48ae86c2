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

    /**
     * The event framed again for relaying: its {@code event:} line when it had one, its data (one {@code data:}
     * line per line of the payload) and the blank line that ends it. Comments and {@code id:}/{@code retry:} lines
     * are not kept by the parser, and no protocol Sluice relays uses them.
     */
    public Buffer frame() {
        Buffer out = Buffer.buffer(data.length() + (event == null ? 0 : event.length() + 8) + 10);
        if (event != null) {
            out.appendString("event: ").appendString(event).appendByte((byte) '\n');
        }
        int start = 0;
        for (int i = 0; i <= data.length(); i++) {
            if (i == data.length() || data.getByte(i) == '\n') {
                out.appendString("data: ").appendBuffer(data, start, i - start).appendByte((byte) '\n');
                start = i + 1;
            }
        }
        return out.appendByte((byte) '\n');
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
