package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.EmbeddingsBody;
import dev.sluice.auth.Caller;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.NativeRequest;
import io.vertx.core.buffer.Buffer;
import dev.sluice.provider.ResolvedModel;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client request on its way through the gateway: who sent it, what it asks, where it went, what it cost in
 * time, and what the interceptors noted about it. Lives as long as the HTTP request; confined to its event loop.
 */
public final class Exchange {

    /** Where request-scoped code finds the exchange (a Vert.x routing-context attribute). */
    public static final String CONTEXT_KEY = "sluice.exchange";

    /**
     * The upstream's whole answer when the attempt that served the request passed the client's request through;
     * absent otherwise.
     */
    public static final Key<Buffer> NATIVE_ANSWER = new Key<>("sluice.native-answer", Buffer.class);
    /** The session the client said this request belongs to (recorded on its ledger line); absent when it named none. */
    public static final Key<String> CLIENT_SESSION = new Key<>("sluice.client-session", String.class);

    public enum Operation {
        CHAT, EMBEDDINGS
    }

    private final Operation operation;
    private final long startNanos;
    private final Caller caller;
    private final CallContext context;
    private final ChatBody chat;
    private final EmbeddingsBody embeddings;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Map<Key<?>, Object> state = new IdentityHashMap<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private ResolvedModel target;
    private List<ResolvedModel> reachable = List.of();
    private ObjectNode usage;
    private long reportedOverheadNanos = -1;
    private ClientProtocol protocol;
    private NativeRequest nativeRequest;
    private long firstChunkNanos;

    private Exchange(Operation operation, long startNanos, String requestId, Caller caller, ChatBody chat,
                     EmbeddingsBody embeddings) {
        this.operation = operation;
        this.startNanos = startNanos;
        this.caller = caller;
        this.context = new CallContext(requestId);
        this.chat = chat;
        this.embeddings = embeddings;
    }

    public static Exchange chat(long startNanos, String requestId, Caller caller, ChatBody body) {
        return new Exchange(Operation.CHAT, startNanos, requestId, caller, body, null);
    }

    public static Exchange embeddings(long startNanos, String requestId, Caller caller, EmbeddingsBody body) {
        return new Exchange(Operation.EMBEDDINGS, startNanos, requestId, caller, null, body);
    }

    /**
     * A request whose body could not be read (not JSON, a field of the wrong type...): it never enters the
     * pipeline, but it is finished like any other, so that it is recorded and answered with its key's headers.
     * {@link #chat()}, {@link #embeddings()} and {@link #requestedModel()} are null.
     */
    public static Exchange unreadable(Operation operation, long startNanos, String requestId, Caller caller) {
        return new Exchange(operation, startNanos, requestId, caller, null, null);
    }

    /**
     * Declares the protocol the client spoke when it is not OpenAI chat: how the answer and errors are written, and
     * the client's request as it came, for attempts on upstreams of the same protocol.
     *
     * @param nativeRequest the client's own request; null when it cannot be passed through
     */
    public Exchange speaking(ClientProtocol protocol, NativeRequest nativeRequest) {
        this.protocol = protocol;
        this.nativeRequest = nativeRequest;
        return this;
    }

    /** The protocol the client spoke; null for OpenAI chat (and embeddings), the pipeline's own. */
    public ClientProtocol protocol() {
        return protocol;
    }

    /** The client's request in its own protocol, when it spoke another than OpenAI chat; else null. */
    public NativeRequest nativeRequest() {
        return nativeRequest;
    }

    public Operation operation() {
        return operation;
    }

    public String requestId() {
        return context.requestId();
    }

    public Caller caller() {
        return caller;
    }

    public CallContext context() {
        return context;
    }

    /** The chat request; null for an embeddings exchange. */
    public ChatBody chat() {
        return chat;
    }

    /** The embeddings request; null for a chat exchange. */
    public EmbeddingsBody embeddings() {
        return embeddings;
    }

    /** The model name the client asked for; null when the body could not be read. */
    public String requestedModel() {
        return chat != null ? chat.model() : embeddings != null ? embeddings.model() : null;
    }

    public boolean streaming() {
        return chat != null && chat.streaming();
    }

    public long startNanos() {
        return startNanos;
    }

    /** Where the request is (or was last) sent; null before resolution. */
    public ResolvedModel target() {
        return target;
    }

    public void target(ResolvedModel target) {
        this.target = target;
    }

    /**
     * Every target the request may reach (its model, fallbacks, group deployments) that its caller may use, as
     * the router planned it; what billing reserves for. Empty before resolution.
     */
    public List<ResolvedModel> reachable() {
        return reachable;
    }

    public void reachable(List<ResolvedModel> targets) {
        this.reachable = List.copyOf(targets);
    }

    /** The usage the upstream reported ({@code usage} object of OpenAI's format), once known. */
    public Optional<ObjectNode> usage() {
        return Optional.ofNullable(usage);
    }

    public void usage(ObjectNode usage) {
        this.usage = usage;
    }

    /** Headers to add to the response (rate limits, cost...). */
    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    /** The state a feature keeps on this exchange under its key; null when it put none. */
    public <T> T get(Key<T> key) {
        return key.type.cast(state.get(key));
    }

    public <T> void put(Key<T> key, T value) {
        state.put(key, value);
    }

    /**
     * A typed slot on the exchange where one feature keeps its per-request state (routing's attempts, metering's
     * reservation...). Keys compare by identity: each feature holds its own as a constant.
     */
    public static final class Key<T> {
        private final String name;
        private final Class<T> type;

        public Key(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Sluice's own time so far: elapsed time minus the time spent waiting on upstreams. */
    public long overheadNanos() {
        return Math.max(0, System.nanoTime() - startNanos - context.upstreamNanos());
    }

    /**
     * The overhead reported to the client in {@code x-sluice-overhead-ms}, fixed when the response headers were
     * built (for a stream: its start); -1 before that.
     */
    public long reportedOverheadNanos() {
        return reportedOverheadNanos;
    }

    void reportOverhead(long nanos) {
        this.reportedOverheadNanos = nanos;
    }

    /** When the first chunk of a stream reached the pipeline ({@link System#nanoTime()}); 0 before, and for whole answers. */
    public long firstChunkNanos() {
        return firstChunkNanos;
    }

    void markChunk() {
        if (firstChunkNanos == 0) {
            firstChunkNanos = System.nanoTime();
        }
    }

    /** True the first time only: {@code onFinish} runs once per exchange. */
    boolean markFinished() {
        return finished.compareAndSet(false, true);
    }
}
