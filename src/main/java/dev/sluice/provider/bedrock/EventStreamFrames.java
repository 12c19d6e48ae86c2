package dev.sluice.provider.bedrock;

import dev.sluice.provider.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary {@code application/vnd.amazon.eventstream} framing of ConverseStream and
 * InvokeModelWithResponseStream, decoded incrementally by AWS's own codec ({@code software.amazon.eventstream}):
 * each network buffer is fed as it arrives and every message it completes is emitted at once; a message split
 * across buffers waits for its remaining bytes. The codec checks each frame's prelude and message CRC32; a corrupt
 * frame fails the stream.
 */
final class EventStreamFrames {

    private EventStreamFrames() {
    }

    /** A string header of a message, or the fallback when it has none. */
    static String header(Message message, String name, String fallback) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? fallback : value.getString();
    }

    static Multi<Message> decode(String provider, Multi<Buffer> body) {
        return Multi.createFrom().deferred(() -> {
            List<Message> decoded = new ArrayList<>(4);
            MessageDecoder decoder = new MessageDecoder(decoded::add);
            return body.onItem().transformToIterable(buffer -> {
                decoded.clear();
                try {
                    decoder.feed(buffer.getBytes());
                } catch (RuntimeException corrupt) {
                    throw UpstreamException.badResponse(provider, "a corrupt event-stream frame ("
                            + corrupt.getMessage() + ")");
                }
                return decoded.isEmpty() ? List.of() : List.copyOf(decoded);
            });
        });
    }
}
