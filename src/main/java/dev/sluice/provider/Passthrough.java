package dev.sluice.provider;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * One attempt that sends the client's own request to an upstream of the same protocol: the body (the client's
 * bytes with only the model changed), the client headers to forward, and, once the upstream answered a
 * non-streaming call, its body as it came. The provider still returns its usual OpenAI view of the answer (from
 * its response mapper or stream translator), which is what interceptors and billing read; the client receives the
 * native bytes. A stream's native bytes travel on its chunks instead ({@link ChatChunk#nativeFrame()}).
 */
public final class Passthrough {

    private final WireProtocol protocol;
    private final Map<String, String> forwardHeaders;
    private final byte[] body;
    private Buffer answer;

    public Passthrough(WireProtocol protocol, Map<String, String> forwardHeaders, byte[] body) {
        this.protocol = protocol;
        this.forwardHeaders = forwardHeaders;
        this.body = body;
    }

    public WireProtocol protocol() {
        return protocol;
    }

    /** Client headers to send upstream as they are. */
    public Map<String, String> forwardHeaders() {
        return forwardHeaders;
    }

    /** The request body to send. */
    public byte[] body() {
        return body;
    }

    /** Records the upstream's whole answer, relayed to the client byte for byte. */
    public void answer(Buffer bytes) {
        this.answer = bytes;
    }

    /** The upstream's whole answer; null before it came (and for streams). */
    public Buffer answer() {
        return answer;
    }
}
