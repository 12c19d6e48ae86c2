package dev.sluice.api;

import dev.sluice.pipeline.Failures;
import dev.sluice.secrets.Secrets;
import dev.sluice.openai.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.pipeline.Exchange;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become responses. Every error leaves as OpenAI's envelope with the right status;
 * unexpected failures are logged with the request id (secrets masked) and answered with a 500 that carries no
 * stack trace.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext rc) {
        Exchange exchange = rc == null ? null : rc.get(Exchange.CONTEXT_KEY);
        if (exchange != null) {
            exchange.responseHeaders().forEach((name, value) -> e.headers().putIfAbsent(name, value));
        }
        return ErrorResponses.of(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext rc) {
        return ErrorResponses.of(ApiException.notFound("Unknown route: " + rc.request().method() + " "
                + rc.request().path(), "unknown_route"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, RoutingContext rc) {
        return ErrorResponses.of(new ApiException(405, ApiException.INVALID_REQUEST, "method_not_allowed", null,
                "Method " + rc.request().method() + " is not allowed on " + rc.request().path()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, null);
        }
        String message = switch (status) {
            case 413 -> "The request body is larger than this gateway accepts";
            case 415 -> "Unsupported content type; send application/json";
            case 406 -> "Cannot produce a response in the requested format";
            default -> "The request could not be processed (HTTP " + status + ")";
        };
        String code = status == 413 ? "request_too_large" : "invalid_request";
        return ErrorResponses.of(new ApiException(status, ApiException.INVALID_REQUEST, code, null, message));
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        return ErrorResponses.of(ApiException.invalidRequest(Secrets.redact(e.getMessage()), null));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return ErrorResponses.of(ApiException.invalidRequest("The request body is not valid JSON", null, "invalid_json"));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext rc) {
        return ErrorResponses.of(Failures.asApi(e, rc == null ? null : rc.get(RequestIds.CONTEXT_KEY)));
    }
}
