package dev.sluice.api;

import dev.sluice.pipeline.Failures;
import dev.sluice.secrets.Secrets;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Reply;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.logging.Log;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * Writes the pipeline's {@link Reply} on a Vert.x response, for every route that serves chat on Vert.x (OpenAI chat
 * completions, Anthropic Messages...): a whole answer at once with its length, a stream relayed as it comes; and the
 * one error writer of those routes, in the protocol the client spoke.
 */
public final class ReplyWriter {

    private ReplyWriter() {
    }

    /** Writes the reply; to a client already gone, ends a stream's exchange and upstream call instead. */
    public static void write(HttpServerResponse response, Reply reply) {
        if (response.closed()) {
            if (reply.streaming()) {
                // nobody to relay to: subscribing and cancelling at once ends the exchange and the upstream call
                reply.stream().subscribe().with(ignored -> { }).cancel();
            }
            return;
        }
        putHeaders(response, reply.headers());
        if (!reply.streaming()) {
            response.end(reply.whole());
            return;
        }
        response.setChunked(true);
        reply.stream().subscribe().withSubscriber(new Relay(response));
    }

    /**
     * Answers a failure before the first byte in the client's protocol: the failure's status and headers (with those
     * the exchange gathered: rate limits, attempts...), the protocol's error body. Anything but an
     * {@link ApiException} is a bug: logged without secrets, answered as a 500 naming the request id.
     */
    public static void fail(RoutingContext rc, Throwable failure, ClientProtocol protocol) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        ApiException e = Failures.asApi(failure, requestId);
        Exchange exchange = rc.get(Exchange.CONTEXT_KEY);
        if (exchange != null && Failures.expected(failure)) {
            exchange.responseHeaders().forEach((name, value) -> e.headers().putIfAbsent(name, value));
        }
        ClientProtocol.ErrorReply reply = protocol.error(e, requestId);
        response.setStatusCode(reply.status());
        e.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(reply.body());
    }

    private static void putHeaders(HttpServerResponse response, Map<String, List<String>> headers) {
        MultiMap out = response.headers();
        headers.forEach((name, values) -> {
            if (values.size() == 1) {
                out.set(name, values.get(0));
            } else {
                out.set(name, values);
            }
        });
    }

    /**
     * Relays a stream's chunks to the client as they come, one in flight at a time: the next is asked for once the
     * socket took the last one (or, when its write queue is full, once it drained), so a slow client slows the
     * upstream instead of filling memory. The client going away cancels the stream, which resets the upstream
     * request and ends the exchange as aborted.
     */
    private static final class Relay implements Flow.Subscriber<Buffer> {

        private final HttpServerResponse response;
        private Flow.Subscription subscription;
        private boolean done;

        Relay(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            Handler<Void> gone = v -> {
                if (!done) {
                    done = true;
                    s.cancel();
                }
            };
            response.closeHandler(gone);
            response.exceptionHandler(f -> gone.handle(null));
            s.request(1);
        }

        @Override
        public void onNext(Buffer chunk) {
            if (done) {
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                response.drainHandler(v -> {
                    if (!done) {
                        subscription.request(1);
                    }
                });
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            // the pipeline turns a failure into an error event before ending the stream; this is a last resort
            if (!done) {
                done = true;
                Log.debugf("Stream relay failed: %s", Secrets.redact(String.valueOf(failure)));
                response.reset();
            }
        }

        @Override
        public void onComplete() {
            if (!done) {
                done = true;
                response.end();
            }
        }
    }
}
