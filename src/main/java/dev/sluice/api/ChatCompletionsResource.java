package dev.sluice.api;

import dev.sluice.auth.AuthFilter;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * {@code POST /v1/chat/completions}, in OpenAI's wire format, streaming or not.
 *
 * <p>There is deliberately no {@code @Produces}: OpenAI's SDKs send {@code Accept: application/json} even for
 * streams, and the response's content type is chosen by the request ({@code stream: true} gives
 * {@code text/event-stream}). Both kinds are relayed through {@link RestMulti}, so an error before the first
 * byte keeps its real status and JSON body, and nothing is buffered.
 */
@Path("/v1")
@Tag(name = "OpenAI-compatible")
public class ChatCompletionsResource {

    @Inject
    RequestReader reader;
    @Inject
    Pipeline pipeline;

    @POST
    @Path("/chat/completions")
    @Operation(summary = "Create a chat completion", description = "OpenAI's chat completions; `model` picks the "
            + "provider (`provider/model`, an alias, or a bare name matched by the model rules). With `stream: true` "
            + "the answer is a text/event-stream of chat.completion.chunk objects ending with `data: [DONE]`.")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ChatCompletionRequest.class)))
    public Multi<Buffer> create(byte[] body, RoutingContext rc) {
        ChatBody chat;
        try {
            chat = reader.chat(body);
        } catch (ApiException unreadable) {
            Exchange refused = Exchange.unreadable(Exchange.Operation.CHAT, Timing.start(rc),
                    rc.get(RequestIds.CONTEXT_KEY), AuthFilter.caller(rc));
            rc.put(Exchange.CONTEXT_KEY, refused);
            return RestMulti.fromUniResponse(pipeline.reject(refused, unreadable), Reply::body, Reply::headers, r -> 200);
        }
        Exchange exchange = Exchange.chat(Timing.start(rc), rc.get(RequestIds.CONTEXT_KEY), AuthFilter.caller(rc), chat);
        rc.put(Exchange.CONTEXT_KEY, exchange);
        Uni<Reply> reply = chat.streaming() ? pipeline.stream(exchange) : pipeline.complete(exchange);
        return RestMulti.fromUniResponse(reply, Reply::body, Reply::headers, r -> 200);
    }
}
