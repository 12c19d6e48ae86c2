package dev.sluice.api.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.api.JsonIngress;
import dev.sluice.api.ReplyWriter;
import dev.sluice.api.RequestIds;
import dev.sluice.api.RequestReader;
import dev.sluice.api.Timing;
import dev.sluice.auth.Caller;
import dev.sluice.auth.KeyGate;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import dev.sluice.provider.NativeRequest;
import dev.sluice.provider.WireProtocol;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.routing.ModelResolver;
import dev.sluice.tokens.TokenEstimator;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * OpenAI's Responses API: {@code POST /v1/responses} (whole or streamed), {@code GET} and {@code DELETE
 * /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items}, {@code POST /v1/responses/{id}/cancel} and
 * {@code POST /v1/responses/input_tokens}, served on Vert.x like chat completions.
 *
 * <p>A request is translated into the internal chat request and goes through the same pipeline as chat
 * completions (keys, allow-lists, reservation and ledger, limits, routing, web_extract, metrics), declaring the
 * Responses protocol for its answer. Where the chosen deployment speaks the Responses API itself (OpenAI, Azure
 * OpenAI), the client's body is passed through with only the model changed and the answer relayed as it came.
 * {@code previous_response_id} is resolved from Sluice's own store, so it works for every provider.
 */
@ApplicationScoped
public class ResponsesRoutes {

    static final String BASE = "/v1/responses";

    @Inject
    RequestReader reader;
    @Inject
    Pipeline pipeline;
    @Inject
    KeyGate gate;
    @Inject
    ObjectMapper mapper;
    @Inject
    SluiceConfig config;
    @Inject
    ResponsesService service;
    @Inject
    ModelResolver resolver;
    @Inject
    TokenEstimator estimator;
    @Inject
    JsonIngress jsonIngress;

    void install(@Observes Router router) {
        // bodies are read only once the caller is known, within the upload cap (JsonIngress)
        jsonIngress.install(router, BASE, this::fail, (rc, caller, body) -> guarded(rc, () -> create(rc, caller)));
        jsonIngress.install(router, BASE + "/input_tokens", this::fail,
                (rc, caller, body) -> guarded(rc, () -> inputTokens(rc, caller)));
        router.route(HttpMethod.GET, BASE + "/:id").order(-10).handler(rc -> admitted(rc, caller -> retrieve(rc, caller)));
        router.route(HttpMethod.DELETE, BASE + "/:id").order(-10).handler(rc -> admitted(rc, caller -> delete(rc, caller)));
        router.route(HttpMethod.GET, BASE + "/:id/input_items").order(-10)
                .handler(rc -> admitted(rc, caller -> inputItems(rc, caller)));
        router.route(HttpMethod.POST, BASE + "/:id/cancel").order(-10).handler(rc -> admitted(rc, caller -> cancel(rc, caller)));
    }

    private void admitted(RoutingContext rc, Consumer<Caller> then) {
        gate.admit(rc.request().headers()::get, false).subscribe().with(caller -> {
            rc.put(Caller.CONTEXT_KEY, caller);
            guarded(rc, () -> then.accept(caller));
        }, failure -> fail(rc, failure));
    }

    /** Runs a route's work; anything it throws is answered in OpenAI's envelope, never left hanging. */
    private void guarded(RoutingContext rc, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            fail(rc, e);
        }
    }

    // ---- POST /v1/responses -----------------------------------------------------------------------------------

    private void create(RoutingContext rc, Caller caller) {
        long start = Timing.start(rc);
        String requestId = rc.get(RequestIds.CONTEXT_KEY);
        byte[] raw = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        ResponsesRequest request;
        try {
            request = ResponsesRequest.of(reader.parse(raw));
        } catch (ApiException unreadable) {
            reject(rc, start, requestId, caller, unreadable);
            return;
        }
        Uni<Optional<ResponsesService.Stored>> previous = request.previousResponseId() == null
                ? Uni.createFrom().item(Optional.empty())
                : service.find(request.previousResponseId(), caller.keyId());
        previous.subscribe().with(found -> {
            try {
                serve(rc, start, requestId, caller, raw, request, found);
            } catch (ApiException refused) {
                reject(rc, start, requestId, caller, refused);
            } catch (RuntimeException e) {
                fail(rc, e);
            }
        }, failure -> fail(rc, failure));
    }

    private void serve(RoutingContext rc, long start, String requestId, Caller caller, byte[] raw,
                       ResponsesRequest request, Optional<ResponsesService.Stored> previous) {
        List<JsonNode> history = previous.map(ResponsesService.Stored::history).orElse(List.of());
        // a previous response Sluice does not hold may still be known to an upstream with server state: passed
        // through, the request goes as it is; translated, it cannot
        ApiException unknownPrevious = request.previousResponseId() != null && previous.isEmpty()
                ? ResponsesService.notFound(request.previousResponseId(), "previous_response_id") : null;
        RequestTranslator.Translation translation;
        try {
            translation = RequestTranslator.toChat(request.tree(), history, capabilities(request.model()));
        } catch (ApiException e) {
            throw unknownPrevious != null ? unknownPrevious : e;
        }
        ChatBody chat = reader.chat(encode(translation.chat()));
        ObjectNode shell = ResponseObjects.shell(request.tree(), ResponseObjects.Ids.RANDOM.next("resp_"),
                System.currentTimeMillis() / 1000);
        ResponsesProtocol protocol = new ResponsesProtocol(mapper, shell, translation.names(),
                ResponseObjects.Ids.RANDOM);
        NativeRequest nativeRequest = new NativeRequest(WireProtocol.OPENAI_RESPONSES, Map.of(),
                (model, translated) -> passthroughBody(raw, request, previous, model), translation.dropped(),
                unknownPrevious);
        Exchange exchange = Exchange.chat(start, requestId, caller, chat).speaking(protocol, nativeRequest);
        if (!translation.dropped().isEmpty()) {
            exchange.responseHeaders().put(NativeRequest.DROPPED_HEADER, String.join(", ", translation.dropped()));
        }
        rc.put(Exchange.CONTEXT_KEY, exchange);
        Uni<Reply> reply = (request.streaming() ? pipeline.stream(exchange) : pipeline.complete(exchange))
                .chain(r -> r.streaming() ? Uni.createFrom().item(storingAtEnd(r, protocol, caller, request, history))
                        : store(protocol, caller, request, history).replaceWith(r));
        Cancellable running = reply.subscribe().with(r -> ReplyWriter.write(rc.response(), r), failure -> fail(rc, failure));
        rc.response().closeHandler(v -> running.cancel());
    }

    /**
     * The body passed through to a Responses upstream: the client's bytes with only the model changed, unless the
     * previous response is one Sluice holds, whose items are then sent as input (the upstream may never have
     * seen it: it may have been answered by another provider).
     */
    private byte[] passthroughBody(byte[] raw, ResponsesRequest request, Optional<ResponsesService.Stored> previous,
                                   String model) {
        if (previous.isEmpty()) {
            return new ResponsesBody(raw, request.tree()).encodeFor(model, mapper);
        }
        ObjectNode body = request.tree().deepCopy();
        body.remove("previous_response_id");
        ArrayNode input = mapper.createArrayNode();
        previous.get().history().forEach(input::add);
        ResponsesService.inputItems(request.tree().get("input")).forEach(input::add);
        body.set("input", input);
        body.put("model", model);
        return encode(body);
    }

    private Uni<Void> store(ResponsesProtocol protocol, Caller caller, ResponsesRequest request,
                            List<JsonNode> history) {
        ObjectNode response = protocol.finalResponse();
        if (!request.store() || response == null || !response.hasNonNull("id")) {
            return Uni.createFrom().voidItem();
        }
        return service.save(caller.keyId(), response, history, request.tree().get("input"));
    }

    /** A stream whose final event leaves only once its response is stored, so a retrieve right after finds it. */
    private Reply storingAtEnd(Reply reply, ResponsesProtocol protocol, Caller caller, ResponsesRequest request,
                               List<JsonNode> history) {
        if (!request.store()) {
            return reply;
        }
        return Reply.stream(reply.headers(), reply.stream().onItem().transformToUniAndConcatenate(bytes ->
                protocol.terminal(bytes)
                        ? store(protocol, caller, request, history).onFailure().recoverWithNull().replaceWith(bytes)
                        : Uni.createFrom().item(bytes)));
    }

    /** What the requested model's provider can do (web search); a model group translates without extras. */
    private RequestTranslator.Capabilities capabilities(String model) {
        try {
            return new RequestTranslator.Capabilities(
                    resolver.resolve(model).provider().profile().has(Feature.WEB_SEARCH));
        } catch (ApiException notDirect) {
            return new RequestTranslator.Capabilities(false);
        }
    }

    private void reject(RoutingContext rc, long start, String requestId, Caller caller, ApiException failure) {
        Exchange exchange = Exchange.unreadable(Exchange.Operation.CHAT, start, requestId, caller);
        rc.put(Exchange.CONTEXT_KEY, exchange);
        pipeline.reject(exchange, failure).subscribe().with(r -> ReplyWriter.write(rc.response(), r), f -> fail(rc, f));
    }

    // ---- stored responses -------------------------------------------------------------------------------------

    private void retrieve(RoutingContext rc, Caller caller) {
        String id = rc.pathParam("id");
        service.find(id, caller.keyId()).subscribe().with(found -> {
            if (found.isEmpty()) {
                fail(rc, ResponsesService.notFound(id, null));
            } else {
                json(rc, 200, found.get().response());
            }
        }, f -> fail(rc, f));
    }

    private void delete(RoutingContext rc, Caller caller) {
        String id = rc.pathParam("id");
        service.delete(id, caller.keyId()).subscribe().with(deleted -> {
            if (!deleted) {
                fail(rc, ResponsesService.notFound(id, null));
            } else {
                json(rc, 200, mapper.createObjectNode().put("id", id).put("object", "response.deleted")
                        .put("deleted", true));
            }
        }, f -> fail(rc, f));
    }

    private void inputItems(RoutingContext rc, Caller caller) {
        String id = rc.pathParam("id");
        String order = Optional.ofNullable(rc.request().getParam("order")).orElse("desc");
        String after = rc.request().getParam("after");
        int limit;
        try {
            limit = Integer.parseInt(Optional.ofNullable(rc.request().getParam("limit")).orElse("20"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            throw ApiException.invalidRequest("Invalid 'limit': expected an integer from 1 to 100", "limit");
        }
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalidRequest("Invalid 'order': expected 'asc' or 'desc'", "order");
        }
        int max = limit;
        service.find(id, caller.keyId()).subscribe().with(found -> {
            if (found.isEmpty()) {
                fail(rc, ResponsesService.notFound(id, null));
                return;
            }
            List<JsonNode> items = new ArrayList<>();
            found.get().context().forEach(items::add);
            if (order.equals("desc")) {
                java.util.Collections.reverse(items);
            }
            int from = 0;
            if (after != null) {
                for (int i = 0; i < items.size(); i++) {
                    if (after.equals(items.get(i).path("id").asText())) {
                        from = i + 1;
                    }
                }
            }
            List<JsonNode> page = items.subList(Math.min(from, items.size()), Math.min(from + max, items.size()));
            ObjectNode list = mapper.createObjectNode().put("object", "list");
            page.forEach(list.putArray("data")::add);
            list.set("first_id", page.isEmpty() ? null : page.get(0).get("id"));
            list.set("last_id", page.isEmpty() ? null : page.get(page.size() - 1).get("id"));
            list.put("has_more", from + max < items.size());
            json(rc, 200, list);
        }, f -> fail(rc, f));
    }

    private void cancel(RoutingContext rc, Caller caller) {
        String id = rc.pathParam("id");
        service.find(id, caller.keyId()).subscribe().with(found -> fail(rc, found.isEmpty()
                ? ResponsesService.notFound(id, null)
                : ApiException.invalidRequest("Only background responses can be cancelled, and this gateway does not "
                        + "run background responses: response '" + id + "' has already finished", null,
                        "unsupported_parameter")), f -> fail(rc, f));
    }

    // ---- POST /v1/responses/input_tokens ----------------------------------------------------------------------

    private void inputTokens(RoutingContext rc, Caller caller) {
        byte[] raw = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        ResponsesRequest request = ResponsesRequest.of(reader.parse(raw));
        Uni<Optional<ResponsesService.Stored>> previous = request.previousResponseId() == null
                ? Uni.createFrom().item(Optional.empty())
                : service.find(request.previousResponseId(), caller.keyId());
        previous.chain(found -> {
            if (request.previousResponseId() != null && found.isEmpty()) {
                throw ResponsesService.notFound(request.previousResponseId(), "previous_response_id");
            }
            List<JsonNode> history = found.map(ResponsesService.Stored::history).orElse(List.of());
            var translation = RequestTranslator.toChat(request.tree(), history, capabilities(request.model()));
            Exchange exchange = Exchange.chat(System.nanoTime(), rc.get(RequestIds.CONTEXT_KEY), caller,
                    reader.chat(encode(translation.chat())));
            exchange.target(resolver.resolve(request.model()));
            // tokenising a long conversation is CPU work: off the event loop
            return Uni.createFrom().item(() -> estimator.prompt(exchange))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }).subscribe().with(tokens -> json(rc, 200, mapper.createObjectNode()
                .put("object", "response.input_tokens").put("input_tokens", tokens)), f -> fail(rc, f));
    }

    /** A failure before the first byte, in OpenAI's envelope. */
    private void fail(RoutingContext rc, Throwable failure) {
        ReplyWriter.fail(rc, failure, pipeline.protocol(null));
    }

    private void json(RoutingContext rc, int status, JsonNode body) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(encode(body)));
    }

    private byte[] encode(JsonNode value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's body, forwarded with its original bytes and only the model spliced. */
    private static final class ResponsesBody extends dev.sluice.openai.WireBody<ObjectNode> {
        ResponsesBody(byte[] raw, ObjectNode tree) {
            super(raw, tree, tree, t -> t);
        }
    }
}
