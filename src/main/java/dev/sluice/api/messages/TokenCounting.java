package dev.sluice.api.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.Caller;
import dev.sluice.openai.ApiException;
import dev.sluice.keys.ModelAccess;
import dev.sluice.routing.AttemptTarget;
import dev.sluice.pipeline.Dispatcher;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.Passthrough;
import dev.sluice.provider.Provider;
import dev.sluice.provider.WireProtocol;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.TokenEstimator;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * {@code count_tokens} for any model: the model is resolved as a request would be (aliases, groups, prefix rules)
 * and checked against the key's allow-list; a model served in Anthropic's protocol is counted by the upstream's own
 * endpoint (exact: Anthropic's count_tokens, Bedrock's CountTokens for the Anthropic models it counts), any other by
 * Sluice's calibrated estimate of the translated request (the same one billing reserves
 * with). Counting is free: it is neither billed nor written to the ledger, as at Anthropic.
 */
@ApplicationScoped
public class TokenCounting {

    /** An answer: Anthropic's {@code {"input_tokens": n}}, and whether the provider counted it. */
    record Count(boolean exact, Buffer body, Map<String, String> headers) {
    }

    @Inject
    Dispatcher dispatcher;
    @Inject
    ModelAccess access;
    @Inject
    TokenEstimator estimator;
    @Inject
    ObjectMapper mapper;

    Uni<Count> count(MessagesIngress.Request request, long start, String requestId, Caller caller) {
        Exchange exchange = Exchange.chat(start, requestId, caller, request.chat())
                .speaking(request.protocol(), request.origin());
        return Uni.createFrom().deferred(() -> {
            dispatcher.resolve(exchange);
            ApiException refused = access.refusal(exchange,
                    new AttemptTarget(exchange.requestedModel(), exchange.target()));
            return refused == null ? Uni.createFrom().voidItem() : Uni.createFrom().<Void>failure(refused);
        }).chain(() -> {
            ResolvedModel target = exchange.target();
            Provider provider = target.provider();
            if (provider.speaks(WireProtocol.ANTHROPIC_MESSAGES, target.model())) {
                Passthrough passthrough = request.origin().passthrough(target.model(), request.chat());
                if (passthrough != null) {
                    return provider.countTokens(new ChatCall(request.chat(), target.model(), exchange.context(),
                            passthrough)).chain(answer -> answer == null ? estimate(exchange)
                            : Uni.createFrom().item(new Count(true, encode(answer), exchange.responseHeaders())));
                }
            }
            return estimate(exchange);
        });
    }

    /** Sluice's calibrated estimate of the translated request. */
    private Uni<Count> estimate(Exchange exchange) {
        // tokenizing a large request (Claude Code's are some 75 KB) takes too long for the event loop
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().item(() -> estimator.prompt(exchange))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(work -> {
                    if (loop != null) {
                        loop.runOnContext(v -> work.run());
                    } else {
                        work.run();
                    }
                })
                .map(tokens -> new Count(false, encode(mapper.createObjectNode().put("input_tokens", tokens)),
                        exchange.responseHeaders()));
    }

    private Buffer encode(ObjectNode json) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }
}
