package dev.sluice.api;

import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.TimeOrderedIds;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jboss.logging.MDC;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.regex.Pattern;

/**
 * Runs first on every HTTP request: gives it a request id (the client's {@code x-request-id} when it is a sane
 * token, else a new one), returned in the response's {@code x-request-id} and propagated upstream; and refuses a
 * body whose declared length exceeds {@code sluice.max-body-size} with a 413 in the OpenAI envelope before
 * anything reads it.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "x-request-id";
    private static final String OVERHEAD_HEADER = Pipeline.OVERHEAD_HEADER;
    public static final String CONTEXT_KEY = "sluice.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    SluiceConfig config;
    @Inject
    JsonIngress ingress;

    void install(@Observes Router router) {
        long limit = config.maxBodySize().asLongValue();
        router.route().order(-100).handler(rc -> handle(rc, limit));
        // A chunked HTTP/1.1 body has no declared length: it is read here, against the limit, so that an oversized
        // one gets the OpenAI envelope rather than the HTTP layer's empty 413. (Bodies with a length were checked
        // above; HTTP/2 requests are left to the HTTP layer, which enforces the same limit.)
        BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(-99).handler(rc -> {
            var request = rc.request();
            if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2
                    && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING))
                    && (request.path().startsWith("/v1/") || request.path().startsWith("/admin/"))
                    // an ingress route reads its body itself, once the caller is known
                    && !ingress.owns(request.path())) {
                chunkedBodies.handle(rc);
            } else {
                rc.next();
            }
        });
        router.route().order(-100).failureHandler(rc -> {
            if (rc.response().headWritten()) {
                rc.next();
            } else if (rc.statusCode() == 413) {
                tooLarge(rc, limit);
            } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
                // refusals the HTTP layer makes once the request reached the router (a path with a bad
                // %-escape, a malformed body read): in the envelope, not as an empty body
                refused(rc, rc.statusCode());
            } else {
                rc.next();
            }
        });
    }

    private void handle(RoutingContext rc, long limit) {
        rc.put(Timing.CONTEXT_KEY, System.nanoTime());
        String incoming = rc.request().getHeader(HEADER);
        String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : TimeOrderedIds.next();
        rc.put(CONTEXT_KEY, id);
        MDC.put("requestId", id);
        rc.response().putHeader(HEADER, id);
        rc.addHeadersEndHandler(v -> overhead(rc));
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    tooLarge(rc, limit);
                    return;
                }
            } catch (NumberFormatException ignored) {
                // a malformed length is the HTTP codec's business
            }
        }
        rc.next();
    }

    /**
     * Every response reports Sluice's own time in {@code x-sluice-overhead-ms}: the pipeline sets it on the
     * responses it builds (fixed when their headers are built); any other response (errors, model lists, admin
     * routes) gets it here, just before its headers leave: the time since the request arrived minus any time spent
     * waiting on upstreams.
     */
    private static void overhead(RoutingContext rc) {
        var headers = rc.response().headers();
        if (headers.contains(OVERHEAD_HEADER)) {
            return;
        }
        Long start = rc.get(Timing.CONTEXT_KEY);
        if (start == null) {
            return;
        }
        Exchange exchange = rc.get(Exchange.CONTEXT_KEY);
        long upstream = exchange == null ? 0 : exchange.context().upstreamNanos();
        headers.set(OVERHEAD_HEADER, Pipeline.millis(Math.max(0, System.nanoTime() - start - upstream)));
    }

    private void refused(RoutingContext rc, int status) {
        String reason = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
        String message = status == 400 ? "The request is not valid HTTP (" + reason + ")" : reason;
        ingress.refuse(rc, closing(new ApiException(status, ApiException.INVALID_REQUEST, "http_" + status, null,
                message)));
    }

    private void tooLarge(RoutingContext rc, long limit) {
        ingress.refuse(rc, closing(new ApiException(413, ApiException.INVALID_REQUEST, "request_too_large", null,
                "The request body is larger than this gateway accepts (" + limit + " bytes)")));
    }

    /** The connection is closed after the answer: the rest of the request is not read. */
    private static ApiException closing(ApiException refusal) {
        refusal.headers().put(HttpHeaders.CONNECTION.toString(), "close");
        return refusal;
    }
}
