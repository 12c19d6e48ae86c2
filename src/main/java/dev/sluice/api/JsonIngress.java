package dev.sluice.api;

import java.util.Map;
import dev.sluice.pipeline.OpenAiChatProtocol;
import dev.sluice.pipeline.ClientProtocol;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.auth.Caller;
import dev.sluice.auth.KeyGate;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front half of every JSON ingress route served straight on Vert.x ({@code /v1/chat/completions},
 * {@code /v1/embeddings}, and any protocol added later): it decides who the caller is <em>before</em> a byte of
 * the body is read, so that a caller without a valid key can make no connection hold a body in memory.
 *
 * <p>In order, for a route installed with {@link #install}:
 * <ol>
 *   <li>anything but {@code POST} is refused with 405;</li>
 *   <li>the request is paused and the caller authenticated from the headers alone ({@link KeyGate}); a refusal is
 *       answered at once with {@code Connection: close}, and what the client still sends is discarded unread;</li>
 *   <li>a large body (declared longer than {@code sluice.uploads.large-body}, or chunked) takes one of
 *       {@code sluice.uploads.max-concurrent-large} upload slots, or is refused with 503 {@code uploads_busy}
 *       and {@code Retry-After} when all are taken;</li>
 *   <li>the body is read (an {@code Expect: 100-continue} client is told to go on only now) against
 *       {@code sluice.max-body-size} (a larger one fails with 413, answered by
 *       {@link RequestIds});</li>
 *   <li>the route's own handler gets the caller and the bytes.</li>
 * </ol>
 * Errors are written by the writer the route passes in, so that each protocol answers in its own shape.
 */
@ApplicationScoped
public class JsonIngress {

    /** Writes a failure in the route's protocol (OpenAI's envelope, Anthropic's error object, ...). */
    @FunctionalInterface
    public interface ErrorWriter {
        void fail(RoutingContext rc, Throwable failure);
    }

    /** The route's own work, once the caller is known and the body read. */
    @FunctionalInterface
    public interface Handler {
        void serve(RoutingContext rc, Caller caller, byte[] body);
    }

    /** Routes run after the request-id, chunked-body and drain handlers (orders -100 to -98). */
    public static final int ORDER = -11;

    private final KeyGate gate;
    private final BodyHandler bodies;
    private final long largeBody;
    private final int maxLarge;
    private final AtomicInteger largeInFlight = new AtomicInteger();
    private final Map<String, ErrorWriter> writers = new ConcurrentHashMap<>();
    private final ClientProtocol openAi;

    @Inject
    public JsonIngress(KeyGate gate, SluiceConfig config, ObjectMapper mapper) {
        this.gate = gate;
        this.openAi = new OpenAiChatProtocol(mapper);
        this.bodies = BodyHandler.create(false).setBodyLimit(config.maxBodySize().asLongValue());
        this.largeBody = config.uploads().largeBody().asLongValue();
        this.maxLarge = config.uploads().maxConcurrentLarge();
    }

    /** Serves {@code path} with {@code handler} behind authentication, the upload cap and the body limit. */
    public void install(Router router, String path, ErrorWriter errors, Handler handler) {
        writers.put(path, errors);
        router.route(path).order(ORDER).handler(rc -> admit(rc, errors));
        router.route(path).order(ORDER + 1).handler(rc -> {
            release(rc);
            io.vertx.ext.web.RequestBody body = rc.body();
            Buffer bytes = body == null ? null : body.buffer();
            handler.serve(rc, rc.get(Caller.CONTEXT_KEY), bytes == null ? new byte[0] : bytes.getBytes());
        });
    }

    /** Whether a route installed here owns {@code path} (then nothing else may read its body first). */
    public boolean owns(String path) {
        return writers.containsKey(path);
    }

    /**
     * Answers a refusal made before any route ran (a body over the limit, malformed HTTP, a draining instance) in
     * the error shape of the protocol the path speaks: the route's own writer where one is installed here, OpenAI's
     * envelope anywhere else.
     */
    public void refuse(RoutingContext rc, ApiException refusal) {
        ErrorWriter writer = writers.get(rc.request().path());
        if (writer != null) {
            writer.fail(rc, refusal);
        } else {
            ReplyWriter.fail(rc, refusal, openAi);
        }
    }

    /** Upload slots in use, for tests and metrics. */
    int largeUploadsInFlight() {
        return largeInFlight.get();
    }

    private void admit(RoutingContext rc, ErrorWriter errors) {
        HttpServerRequest request = rc.request();
        if (request.method() != HttpMethod.POST) {
            refuse(rc, errors, new ApiException(405, ApiException.INVALID_REQUEST, "method_not_allowed", null,
                    "Method " + request.method() + " is not allowed on " + request.path()));
            return;
        }
        if (!request.isEnded()) {
            request.pause();
        }
        Context context = Vertx.currentContext();
        gate.admit(request.headers()::get, false).subscribe().with(
                caller -> onContext(context, () -> {
                    rc.put(Caller.CONTEXT_KEY, caller);
                    read(rc, errors);
                }),
                failure -> onContext(context, () -> refuse(rc, errors, failure)));
    }

    private void read(RoutingContext rc, ErrorWriter errors) {
        HttpServerRequest request = rc.request();
        if (large(request)) {
            if (largeInFlight.incrementAndGet() > maxLarge) {
                largeInFlight.decrementAndGet();
                ApiException busy = new ApiException(503, "server_error", "uploads_busy", null,
                        "Too many large request bodies are being uploaded to this gateway right now; retry shortly");
                busy.headers().put("Retry-After", "1");
                refuse(rc, errors, busy);
                return;
            }
            AtomicBoolean held = new AtomicBoolean(true);
            rc.put(SLOT_KEY, held);
            rc.addEndHandler(v -> release(rc));
        }
        bodies.handle(rc); // which also answers an "Expect: 100-continue" client now, not before

    }

    private static final String SLOT_KEY = "sluice.upload-slot";

    private void release(RoutingContext rc) {
        AtomicBoolean held = rc.get(SLOT_KEY);
        if (held != null && held.compareAndSet(true, false)) {
            largeInFlight.decrementAndGet();
        }
    }

    private boolean large(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return true; // chunked (or HTTP/2 without a length): its size is unknown until read
        }
        try {
            return Long.parseLong(length.trim()) > largeBody;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Answers a refusal before the body was read: the connection closes after the answer, and whatever the client
     * still sends is dropped as it arrives (never buffered), so that the refusal costs no memory.
     */
    private static void refuse(RoutingContext rc, ErrorWriter errors, Throwable failure) {
        HttpServerRequest request = rc.request();
        if (!request.isEnded()) {
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            request.handler(ignored -> { });
            request.resume();
        }
        errors.fail(rc, failure);
    }

    /** Runs {@code work} on {@code context} (the request's event loop), at once when already there. */
    public static void onContext(Context context, Runnable work) {
        if (context == null || Vertx.currentContext() == context) {
            work.run();
        } else {
            context.runOnContext(v -> work.run());
        }
    }
}
