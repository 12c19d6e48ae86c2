package dev.sluice.provider;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental parser for {@code text/event-stream} bodies, fed with network chunks that may split lines and
 * events anywhere. Handles LF, CRLF and CR line ends, comment lines, multi-line data and a final event that
 * lacks its blank line. Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private Buffer pending = Buffer.buffer();
    private int scanFrom;
    private boolean skipLeadingLf;
    private String event;
    private Buffer data;

    /** Turns a stream of body chunks into a stream of events, each emitted as soon as its blank line arrives. */
    public static Multi<SseEvent> events(Multi<Buffer> body) {
        SseParser parser = new SseParser();
        return body.onItem().transformToIterable(parser::feed)
                .onCompletion().switchTo(() -> Multi.createFrom().iterable(parser.finish()));
    }

    /** Consumes a chunk; returns the events it completed. */
    public List<SseEvent> feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        List<SseEvent> out = null;
        int lineStart = 0;
        int i = skipLeadingLf ? 0 : scanFrom;
        int length = pending.length();
        while (i < length) {
            byte b = pending.getByte(i);
            if (skipLeadingLf) {
                skipLeadingLf = false;
                if (b == '\n' && i == lineStart) {
                    lineStart = ++i;
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                SseEvent done = line(pending.getBuffer(lineStart, i));
                if (done != null) {
                    if (out == null) {
                        out = new ArrayList<>(2);
                    }
                    out.add(done);
                }
                skipLeadingLf = b == '\r';
                lineStart = ++i;
            } else {
                i++;
            }
        }
        // keep only the unfinished line; it holds no line end, so the next scan starts after it
        pending = pending.getBuffer(lineStart, length);
        scanFrom = pending.length();
        return out == null ? List.of() : out;
    }

    /** Ends the stream: an event still open (no final blank line) is delivered. */
    public List<SseEvent> finish() {
        if (pending.length() > 0) {
            SseEvent e = line(pending.copy());
            if (e != null) {
                return List.of(e);
            }
        }
        SseEvent last = dispatch();
        return last == null ? List.of() : List.of(last);
    }

    private SseEvent line(Buffer line) {
        if (line.length() == 0) {
            return dispatch();
        }
        if (line.getByte(0) == ':') {
            return null; // comment / keep-alive
        }
        int colon = -1;
        for (int i = 0; i < line.length(); i++) {
            if (line.getByte(i) == ':') {
                colon = i;
                break;
            }
        }
        String field = colon < 0 ? line.toString(StandardCharsets.UTF_8) : line.getString(0, colon, "UTF-8");
        Buffer value;
        if (colon < 0) {
            value = Buffer.buffer();
        } else {
            int start = colon + 1;
            if (start < line.length() && line.getByte(start) == ' ') {
                start++;
            }
            value = line.getBuffer(start, line.length());
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = value;
                } else {
                    data = Buffer.buffer().appendBuffer(data).appendByte((byte) '\n').appendBuffer(value);
                }
            }
            case "event" -> event = value.toString(StandardCharsets.UTF_8);
            default -> {
                // id and retry carry nothing an LLM stream needs
            }
        }
        return null;
    }

    private SseEvent dispatch() {
        if (data == null) {
            event = null;
            return null;
        }
        SseEvent e = new SseEvent(event, data);
        event = null;
        data = null;
        return e;
    }
}
