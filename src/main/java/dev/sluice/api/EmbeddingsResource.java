package dev.sluice.api;

import dev.sluice.auth.AuthFilter;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Reply;
import io.smallrye.mutiny.Multi;
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

/** {@code POST /v1/embeddings}, in OpenAI's wire format. */
@Path("/v1")
@Tag(name = "OpenAI-compatible")
public class EmbeddingsResource {

    @Inject
    RequestReader reader;
    @Inject
    Pipeline pipeline;

    @POST
    @Path("/embeddings")
    @Operation(summary = "Create embeddings")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EmbeddingsRequest.class)))
    public Multi<Buffer> create(byte[] body, RoutingContext rc) {
        EmbeddingsBody embeddings;
        try {
            embeddings = reader.embeddings(body);
        } catch (ApiException unreadable) {
            Exchange refused = Exchange.unreadable(Exchange.Operation.EMBEDDINGS, Timing.start(rc),
                    rc.get(RequestIds.CONTEXT_KEY), AuthFilter.caller(rc));
            rc.put(Exchange.CONTEXT_KEY, refused);
            return RestMulti.fromUniResponse(pipeline.reject(refused, unreadable), Reply::body, Reply::headers, r -> 200);
        }
        Exchange exchange = Exchange.embeddings(Timing.start(rc), rc.get(RequestIds.CONTEXT_KEY),
                AuthFilter.caller(rc), embeddings);
        rc.put(Exchange.CONTEXT_KEY, exchange);
        return RestMulti.fromUniResponse(pipeline.complete(exchange), Reply::body, Reply::headers, r -> 200);
    }
}
