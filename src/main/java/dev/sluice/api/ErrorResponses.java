package dev.sluice.api;

import dev.sluice.openai.ApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the HTTP response for an {@link ApiException}: its status, its headers, the OpenAI error envelope. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(ApiException e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.envelope());
        e.headers().forEach(b::header);
        return b.build();
    }
}
