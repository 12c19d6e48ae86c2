package dev.sluice.ops;

import dev.sluice.openai.ApiException;
import dev.sluice.api.JsonIngress;
import dev.sluice.auth.KeyGate;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import dev.sluice.config.SluiceConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /q/metrics} answers only a scraper that shows a key: the metrics token ({@code sluice.metrics.token},
 * env {@code SLUICE_METRICS_TOKEN}, for Prometheus, so that it never holds the master key) or the master key. A
 * stranger learns nothing from it: which models and providers are used, how much they cost, which keys fail.
 * Refusals are in OpenAI's envelope (401 without a key, 403 with a key that is neither).
 */
@ApplicationScoped
public class MetricsGate {

    static final String PATH = "/q/metrics";

    @Inject
    KeyGate gate;
    @Inject
    SluiceConfig config;

    void install(@Observes Router router) {
        router.route(PATH).order(-97).handler(this::handle);
        router.route(PATH + "/*").order(-97).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String presented = KeyGate.presentedKey(rc.request().headers()::get);
        if (presented != null && config.metrics().token().filter(t -> !t.isBlank()).map(t -> MessageDigest.isEqual(
                t.strip().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))).orElse(false)) {
            rc.next();
            return;
        }
        Context context = Vertx.currentContext();
        gate.admit(rc.request().headers()::get, true).subscribe().with(
                caller -> JsonIngress.onContext(context, rc::next),
                failure -> JsonIngress.onContext(context, () -> refuse(rc, failure instanceof ApiException a ? a
                        : ApiException.unauthorized("Incorrect API key provided.", "invalid_api_key"))));
    }

    private static void refuse(RoutingContext rc, ApiException e) {
        ApiException answer = e.status() == 403
                ? ApiException.forbidden("Metrics need the metrics token (sluice.metrics.token) or the master key.",
                "metrics_forbidden") : e;
        rc.response().setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.encode(answer.envelope()));
    }
}
