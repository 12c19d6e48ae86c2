package dev.sluice.api;

import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ApiException;
import dev.sluice.auth.Caller;
import dev.sluice.cache.CacheDirective;
import dev.sluice.cache.ResponseCacheInterceptor;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;


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
                String cache = rc.request().getHeader(CacheDirective.HEADER);
                if (cache != null) {
                    exchange.put(ResponseCacheInterceptor.REQUESTED, cache);
                }
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
        ReplyWriter.write(rc.response(), reply);
    }

    /** Answers a failure before the first byte: its status and headers, OpenAI's envelope. */
    private void fail(RoutingContext rc, Throwable failure) {
        ReplyWriter.fail(rc, failure, pipeline.protocol(null));
    }
}
