package dev.sluice.api.messages;

import dev.sluice.openai.ApiException;
import dev.sluice.api.JsonIngress;
import dev.sluice.openai.ChatBody;
import dev.sluice.api.ReplyWriter;
import dev.sluice.api.RequestIds;
import dev.sluice.api.Timing;
import dev.sluice.auth.Caller;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

import static dev.sluice.anthropic.AnthropicWire.COUNT_TOKENS_PATH;
import static dev.sluice.anthropic.AnthropicWire.MESSAGES_PATH;
import static dev.sluice.anthropic.AnthropicWire.REQUEST_ID_HEADER;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, Anthropic's Messages API: the ingress of
 * Claude Code and the Anthropic SDKs. Served on Vert.x like the OpenAI routes, authenticated the same way
 * ({@code x-api-key} or {@code Authorization: Bearer}), and answered by the same pipeline: the request is translated
 * into the internal chat request ({@link MessagesIngress}) and the exchange declares Anthropic's protocol, so keys,
 * allow-lists, reservation, ledger, rate limits, routing, retrieval and metrics are those of chat completions.
 * Every response carries Anthropic's {@code request-id} header; every error Anthropic's shape.
 */
@ApplicationScoped
public class MessagesRoutes {

    @Inject
    MessagesIngress ingress;
    @Inject
    JsonIngress jsonIngress;
    @Inject
    TokenCounting counting;
    @Inject
    Pipeline pipeline;

    void install(@Observes Router router) {
        // the same place in the chain as the OpenAI routes, behind the same gate: the caller is authenticated from
        // the headers before the body is read (JsonIngress), and every answer carries Anthropic's request-id header
        for (String path : List.of(MESSAGES_PATH, COUNT_TOKENS_PATH)) {
            router.route(path).order(JsonIngress.ORDER - 1).handler(rc -> {
                String requestId = rc.get(RequestIds.CONTEXT_KEY);
                if (requestId != null) {
                    rc.response().putHeader(REQUEST_ID_HEADER, requestId);
                }
                rc.next();
            });
            jsonIngress.install(router, path, this::fail, (rc, caller, body) -> {
                if (path.equals(COUNT_TOKENS_PATH)) {
                    countTokens(rc, body, caller);
                } else {
                    serve(rc, body, caller);
                }
            });
        }
    }

    private void serve(RoutingContext rc, byte[] body, Caller caller) {
        long start = Timing.start(rc);
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        MultiMap headers = rc.request().headers();
        Exchange exchange;
        Uni<Reply> reply;
        try {
            MessagesIngress.Request request = ingress.read(body, headers::get, true);
            ChatBody chat = request.chat();
            exchange = Exchange.chat(start, requestId, caller, chat).speaking(request.protocol(), request.origin());
            ingress.note(exchange, headers::get);
            reply = chat.streaming() ? pipeline.stream(exchange) : pipeline.complete(exchange);
        } catch (ApiException unreadable) {
            // recorded like any other request of a valid key, then answered with its error
            exchange = Exchange.unreadable(Exchange.Operation.CHAT, start, requestId, caller)
                    .speaking(ingress.protocol(null), null);
            ingress.note(exchange, headers::get);
            reply = pipeline.reject(exchange, unreadable);
        } catch (RuntimeException unexpected) {
            fail(rc, unexpected);
            return;
        }
        rc.put(Exchange.CONTEXT_KEY, exchange);
        Cancellable running = reply.subscribe().with(r -> ReplyWriter.write(rc.response(), r),
                failure -> fail(rc, failure));
        // a client that goes away before the answer cancels the upstream call (a stream's relay takes over this
        // handler once it starts)
        rc.response().closeHandler(v -> running.cancel());
    }

    private void countTokens(RoutingContext rc, byte[] body, Caller caller) {
        long start = Timing.start(rc);
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        MultiMap headers = rc.request().headers();
        Uni<TokenCounting.Count> count;
        try {
            count = counting.count(ingress.read(body, headers::get, false), start, requestId, caller);
        } catch (ApiException refused) {
            fail(rc, refused);
            return;
        } catch (RuntimeException unexpected) {
            fail(rc, unexpected);
            return;
        }
        Cancellable running = count.subscribe().with(c -> {
            HttpServerResponse response = rc.response();
            if (response.closed()) {
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            response.putHeader(MessagesWire.TOKEN_COUNT_HEADER, c.exact() ? "exact" : "estimate");
            c.headers().forEach(response::putHeader);
            response.end(c.body());
        }, failure -> fail(rc, failure));
        rc.response().closeHandler(v -> running.cancel());
    }

    /** Answers a failure before the first byte: its status and headers, Anthropic's error shape. */
    private void fail(RoutingContext rc, Throwable failure) {
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        if (requestId != null) {
            // also on refusals made before this route's own handlers ran (a body over the limit)
            rc.response().putHeader(REQUEST_ID_HEADER, requestId);
        }
        ReplyWriter.fail(rc, failure, ingress.protocol(null));
    }
}
