package dev.sluice.testing;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes AWS event streams ({@code application/vnd.amazon.eventstream}) for a mock Bedrock: each frame encoded by
 * AWS's own codec (prelude, headers, CRCs), as ConverseStream sends them.
 */
public final class EventStream {

    private EventStream() {
    }

    /** An {@code event} frame: {@code :event-type}, {@code :content-type: application/json}, the JSON payload. */
    public static byte[] event(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return encode(headers, json);
    }

    /** An {@code exception} frame, as Bedrock sends a failure in the middle of a stream. */
    public static byte[] exception(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return encode(headers, json);
    }

    private static byte[] encode(Map<String, HeaderValue> headers, String json) {
        ByteBuffer buffer = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Replies with the frames, each written on its own with a pause before it. */
    public static Handler<RoutingContext> reply(Duration pause, List<byte[]> frames) {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream")
                    .putHeader("x-amzn-requestid", "d2c5a7a4-1f7e-4c5b-9b55-6e0e7f1c2a10");
            write(ctx, pause, frames, 0);
        };
    }

    /** Replies with all frames as one byte sequence cut at arbitrary points (frames split across writes). */
    public static Handler<RoutingContext> replySplit(List<byte[]> frames, int piece) {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
            Buffer all = Buffer.buffer();
            frames.forEach(all::appendBytes);
            for (int at = 0; at < all.length(); at += piece) {
                ctx.response().write(all.getBuffer(at, Math.min(all.length(), at + piece)));
            }
            ctx.response().end();
        };
    }

    private static void write(RoutingContext ctx, Duration pause, List<byte[]> frames, int i) {
        if (i == frames.size()) {
            ctx.response().end();
            return;
        }
        Runnable next = () -> {
            if (!ctx.response().closed()) {
                ctx.response().write(Buffer.buffer(frames.get(i)));
                write(ctx, pause, frames, i + 1);
            }
        };
        if (pause.isZero()) {
            next.run();
        } else {
            MockUpstream.vertx().setTimer(pause.toMillis(), t -> next.run());
        }
    }
}
