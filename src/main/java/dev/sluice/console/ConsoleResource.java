package dev.sluice.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.api.ModelList;
import dev.sluice.api.ModelsResource;
import dev.sluice.auth.Caller;
import dev.sluice.auth.KeyGate;
import dev.sluice.keys.KeyService;
import dev.sluice.keys.VirtualKey;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's pages and sign-in. Pages are shells rendered by Qute (navigation, the signed-in key's name, the
 * session's anti-forgery token); their figures come from the gateway's own APIs, called by the page's script with
 * the session cookie and that token, so every number shown is exactly what the API answers and every rule the API
 * enforces (master only, a key's own usage) holds for the console too. A page the caller may not open is refused
 * here, with a 403 page that holds no data.
 */
@Path("/console")
@Tag(name = "Console")
public class ConsoleResource {

    static final String LOGIN_COOKIE = "sluice_console_login";
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";

    @Inject
    ConsoleSessions sessions;
    @Inject
    ConsoleConfig config;
    @Inject
    KeyGate gate;
    @Inject
    ConsoleOverview overview;
    @Inject
    ModelsResource models;
    @Inject
    Engine engine;

    @GET
    @Operation(hidden = true)
    public Uni<Response> root(@Context HttpHeaders headers) {
        return signedIn(headers).map(c -> redirect(c.isPresent() ? "/console/overview" : "/console/login"));
    }

    @GET
    @Path("/login")
    @Operation(hidden = true)
    public Uni<Response> loginPage(@Context HttpHeaders headers, @Context HttpServerRequest request,
                                   @QueryParam("ended") String ended) {
        return signedIn(headers).map(c -> c.isPresent() ? redirect("/console/overview")
                : loginForm(request, 200, ended != null ? "Your session ended (signed out, idle, or the key was "
                + "revoked, rotated or expired). Sign in again." : null));
    }

    @POST
    @Path("/login")
    @Operation(hidden = true)
    public Uni<Response> login(@Context HttpHeaders headers, @Context HttpServerRequest request,
                               @FormParam("key") String key, @FormParam("csrf") String csrf) {
        String expected = ConsoleSessions.cookie(headers.getHeaderString("Cookie"), LOGIN_COOKIE);
        if (expected == null || csrf == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                csrf.getBytes(StandardCharsets.US_ASCII))) {
            return Uni.createFrom().item(loginForm(request, 403, "The sign-in form expired. Try again."));
        }
        if (key == null || key.isBlank()) {
            return Uni.createFrom().item(loginForm(request, 400, "Enter an API key."));
        }
        String k = key.strip();
        return gate.authenticate(k)
                .onFailure(ApiException.class).recoverWithItem(f -> null)
                .map(caller -> {
                    if (caller == null) {
                        return loginForm(request, 401, "That key is not valid here (unknown, revoked or expired).");
                    }
                    ConsoleSessions.Session s = sessions.open(k);
                    return Response.seeOther(URI.create("/console/overview"))
                            .header("Set-Cookie", cookie(request, ConsoleSessions.COOKIE, s.id(), "/", null))
                            .header("Set-Cookie", cookie(request, LOGIN_COOKIE, "", "/console", Duration.ZERO))
                            .build();
                });
    }

    @POST
    @Path("/logout")
    @Operation(hidden = true)
    public Response logout(@Context HttpHeaders headers, @Context HttpServerRequest request,
                           @FormParam("csrf") String csrf) {
        Optional<ConsoleSessions.Session> s = sessions.find(headers.getHeaderString("Cookie"));
        if (s.isPresent()) {
            if (!ConsoleSessions.tokenMatches(s.get(), csrf)) {
                throw ApiException.forbidden("Sign out from the console's own page.", "csrf_token_mismatch");
            }
            sessions.close(s.get());
        }
        return Response.seeOther(URI.create("/console/login"))
                .header("Set-Cookie", cookie(request, ConsoleSessions.COOKIE, "", "/", Duration.ZERO)).build();
    }

    @GET
    @Path("/{page}")
    @Operation(hidden = true)
    public Uni<Response> page(@Context HttpHeaders headers, @PathParam("page") String name) {
        ConsolePage page = ConsolePage.of(name).orElse(null);
        if (page == null) {
            return Uni.createFrom().item(Response.status(404).type(HTML)
                    .entity(engine.getTemplate("console/message").data("title", "Not found")
                            .data("message", "There is no console page here.").render()).build());
        }
        Optional<ConsoleSessions.Session> session = sessions.find(headers.getHeaderString("Cookie"));
        if (session.isEmpty()) {
            return Uni.createFrom().item(redirect("/console/login"));
        }
        return caller(session.get()).map(caller -> {
            if (caller == null) {
                return redirect("/console/login?ended=1");
            }
            if (page.masterOnly && !caller.master()) {
                return Response.status(403).type(HTML).entity(engine.getTemplate("console/message")
                        .data("title", "Not allowed")
                        .data("message", "The " + page.title + " page is for the master key only.").render()).build();
            }
            Template t = engine.getTemplate("console/" + page.path());
            Map<String, Object> data = new HashMap<>();
            data.put("page", page);
            data.put("nav", ConsolePage.visibleTo(caller.master()));
            data.put("master", caller.master());
            data.put("who", who(caller));
            data.put("csrf", session.get().csrf());
            data.put("keyId", caller.keyId());
            return Response.ok(t.data(data).render(), HTML).build();
        });
    }

    @GET
    @Path("/api/overview")
    @Blocking
    @Operation(summary = "The console overview's figures", description = "For the console's pages (session cookie "
            + "and X-Sluice-CSRF), or with a key: spend, requests and error rate today and this month, spend per day, "
            + "top models; for the master key also top keys and latency/overhead percentiles since start.")
    public Response overview(@Context HttpHeaders headers) {
        Caller caller = gate.admit(headers::getHeaderString, false).await().atMost(Duration.ofSeconds(10));
        ObjectNode out = overview.of(caller);
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/api/models")
    @Operation(summary = "The models the caller's key may use", description = "GET /v1/models narrowed to the "
            + "calling key's allow-list, for the playground.")
    public Uni<ModelList> allowedModels(@Context HttpHeaders headers) {
        return gate.admit(headers::getHeaderString, false)
                .chain(caller -> models.visibleTo(caller.details(VirtualKey.class).orElse(null)));
    }

    /** The caller a session stands for now, or null (the session is then ended: its key no longer works). */
    private Uni<Caller> caller(ConsoleSessions.Session s) {
        return gate.authenticate(s.key())
                .onFailure(ApiException.class).recoverWithItem(f -> null)
                .invoke(c -> {
                    if (c == null) {
                        sessions.closeAll(s.key());
                    }
                });
    }

    private Uni<Optional<Caller>> signedIn(HttpHeaders headers) {
        Optional<ConsoleSessions.Session> s = sessions.find(headers.getHeaderString("Cookie"));
        return s.isEmpty() ? Uni.createFrom().item(Optional.empty()) : caller(s.get()).map(Optional::ofNullable);
    }

    private static String who(Caller caller) {
        return caller.details(VirtualKey.class).map(k -> k.record().name() + " · " + KeyService.display(k.record()))
                .orElse("master key");
    }

    private Response loginForm(HttpServerRequest request, int status, String error) {
        String token = sessions.token();
        return Response.status(status).type(HTML)
                .header("Set-Cookie", cookie(request, LOGIN_COOKIE, token, "/console", Duration.ofMinutes(30)))
                .entity(engine.getTemplate("console/login").data("csrf", token).data("error", error).render())
                .build();
    }

    /** A cookie scripts cannot read, sent only to this site's own pages, and only over TLS when served on TLS. */
    static String cookie(HttpServerRequest request, String name, String value, String path, Duration maxAge) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=").append(path)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAge != null) {
            c.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (request.isSSL() || "https".equalsIgnoreCase(request.scheme())) {
            c.append("; Secure");
        }
        return c.toString();
    }

    private static Response redirect(String to) {
        return Response.seeOther(URI.create(to)).build();
    }
}
