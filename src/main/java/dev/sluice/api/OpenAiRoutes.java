package dev.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.auth.Caller;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/embeddings}, in OpenAI's wire format: the gateway's hot
 * path, served straight on Vert.x rather than through the REST layer. A whole answer is written at once with its
 * length (one write to the socket); a stream is relayed chunk by chunk as the upstream sends it, paced by the
 * client's socket, and a client that goes away cancels the upstream request. An error before the first byte keeps
 * its real status and OpenAI's JSON envelope.
 *
 * <p>There is no content negotiation: OpenAI's SDKs send {@code Accept: application/json} even for streams, and
 * the request itself ({@code stream: true}) decides whether the answer is JSON or {@code text/event-stream}.
 * The routes are described in the OpenAPI document by {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class OpenAiRoutes {

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";

    @Inject
    RequestReader reader;
    @Inject
    Pipeline pipeline;
    @Inject
    ObjectMapper mapper;
    @Inject
    JsonIngress ingress;

    void install(@Observes Router router) {
        // the caller is authenticated from the headers before the body is read (JsonIngress)
        ingress.install(router, CHAT, this::fail, (rc, caller, body) -> serve(rc, Exchange.Operation.CHAT, body, caller));
        ingress.install(router, EMBEDDINGS, this::fail,
                (rc, caller, body) -> serve(rc, Exchange.Operation.EMBEDDINGS, body, caller));
    }

    private void serve(RoutingContext rc, Exchange.Operation operation, byte[] body, Caller caller) {
        long start = Timing.start(rc);
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        Exchange exchange;
        Uni<Reply> reply;
        try {
            if (operation == Exchange.Operation.CHAT) {
                ChatBody chat = reader.chat(body);
                exchange = Exchange.chat(start, requestId, caller, chat);
                reply = chat.streaming() ? pipeline.stream(exchange) : pipeline.complete(exchange);
            } else {
                exchange = Exchange.embeddings(start, requestId, caller, reader.embeddings(body));
                reply = pipeline.complete(exchange);
            }
        } catch (ApiException unreadable) {
            // recorded like any other request of a valid key, then answered with its error
            exchange = Exchange.unreadable(operation, start, requestId, caller);
            reply = pipeline.reject(exchange, unreadable);
        } catch (RuntimeException unexpected) {
            fail(rc, unexpected);
            return;
        }
        rc.put(Exchange.CONTEXT_KEY, exchange);
        Cancellable running = reply.subscribe().with(r -> respond(rc, r), failure -> fail(rc, failure));
        // a client that goes away before the answer cancels the upstream call (a stream's relay takes over this
        // handler once it starts)
        rc.response().closeHandler(v -> running.cancel());
    }

    private void respond(RoutingContext rc, Reply reply) {
        HttpServerResponse response = rc.response();
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

    /** Answers a failure before the first byte: its status and headers, OpenAI's envelope. */
    private void fail(RoutingContext rc, Throwable failure) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        ApiException e;
        if (failure instanceof ApiException a) {
            e = a;
            Exchange exchange = rc.get(Exchange.CONTEXT_KEY);
            if (exchange != null) {
                exchange.responseHeaders().forEach((name, value) -> e.headers().putIfAbsent(name, value));
            }
        } else {
            String requestId = rc.get(RequestIds.CONTEXT_KEY);
            Log.errorf("Unexpected failure in request %s: %s", requestId, Secrets.redact(String.valueOf(failure)));
            e = ApiException.internal("The gateway failed to handle this request"
                    + (requestId == null ? "" : " (request id " + requestId + ")"));
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(e.envelope());
        } catch (JsonProcessingException impossible) {
            json = "{\"error\":{\"message\":\"The gateway failed to handle this request\",\"type\":\"server_error\",\"param\":null,\"code\":\"internal_error\"}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.setStatusCode(e.status());
        e.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(Buffer.buffer(json));
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
