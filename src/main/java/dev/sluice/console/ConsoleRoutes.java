package dev.sluice.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * What every {@code /console} answer carries, pages, scripts and errors alike, and the one switch that turns the
 * console off ({@code sluice.console.enabled=false}: every {@code /console} path answers 404, and a console
 * cookie no longer stands for a key anywhere).
 *
 * <p>The Content-Security-Policy allows scripts, styles and connections from this origin only: no inline script
 * or style, no other site, no framing. Pages are never cached (they carry the session's anti-forgery token).
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Inject
    ConsoleConfig config;

    void install(@Observes Router router) {
        // before the request-id handlers and the REST layer, so that a disabled console is not even looked up
        router.routeWithRegex("/console(/.*)?").order(-200).handler(rc -> {
            if (!config.enabled()) {
                rc.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found");
                return;
            }
            boolean asset = rc.request().path().startsWith("/console/assets/");
            rc.response().headers()
                    .set("Content-Security-Policy", CSP)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer")
                    .set("Cross-Origin-Opener-Policy", "same-origin");
            if (!asset) {
                rc.response().headers().set("Cache-Control", "no-store");
            }
            rc.next();
        });
    }
}
