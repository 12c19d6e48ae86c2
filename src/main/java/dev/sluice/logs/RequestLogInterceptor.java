package dev.sluice.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.billing.Charge;
import dev.sluice.money.Usage;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Outcome;
import dev.sluice.pipeline.Stage;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.routing.RoutingDispatcher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Turns each finished exchange whose key has the request log on into one row, offered to the {@link RequestLog}'s
 * queue without waiting. It runs after metering ({@link Stage#REQUEST_LOG}), so the row carries the settled cost
 * and tokens. Bodies are collected only where enabled, and for streams only up to the size cap; masking and the
 * final cut happen on the writer thread.
 */
@ApplicationScoped
public class RequestLogInterceptor implements ExchangeInterceptor {

    /** Per-exchange collection state, made on first need. */
    static final class Collected {
        final boolean logged;
        final boolean bodies;
        String response;
        StringBuilder streamed;

        Collected(boolean logged, boolean bodies) {
            this.logged = logged;
            this.bodies = bodies;
        }
    }

    static final Exchange.Key<Collected> STATE = new Exchange.Key<>("sluice.request-log", Collected.class);
    private static final int MAX_SESSION = 200;
    /**
     * Collected beyond the cap before masking, so that a secret straddling the cap is still whole when it is
     * masked (the writer cuts at the cap after masking).
     */
    private static final int MASK_MARGIN = 512;

    private final RequestLog log;
    private final RequestLogConfig config;
    private final int collectChars;

    @Inject
    public RequestLogInterceptor(RequestLog log, RequestLogConfig config) {
        this.log = log;
        this.config = config;
        this.collectChars = (int) Math.min(Integer.MAX_VALUE - MASK_MARGIN, config.maxBodyBytes().asLongValue())
                + MASK_MARGIN;
    }

    @Override
    public Stage stage() {
        return Stage.REQUEST_LOG;
    }

    /** Whether the exchange is logged, and with bodies: its key's settings, else the global ones. */
    private Collected state(Exchange exchange) {
        Collected c = exchange.get(STATE);
        if (c == null) {
            Boolean keyLogs = null;
            Boolean keyBodies = null;
            if (exchange.caller() != null) {
                VirtualKey key = exchange.caller().details(VirtualKey.class).orElse(null);
                if (key != null) {
                    keyLogs = key.record().logRequests();
                    keyBodies = key.record().logBodies();
                }
            }
            boolean logged = keyLogs != null ? keyLogs : config.enabled();
            boolean bodies = logged && (keyBodies != null ? keyBodies : config.bodies());
            c = new Collected(logged, bodies);
            exchange.put(STATE, c);
        }
        return c;
    }

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        Collected c = state(exchange);
        if (c.bodies) {
            // serialised now, on the event loop: the tree goes on to the client's writer and is not ours to share
            Buffer nativeAnswer = exchange.get(Exchange.NATIVE_ANSWER);
            c.response = nativeAnswer != null ? nativeAnswer.toString() : response.toString();
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Collected c = state(exchange);
        if (!c.bodies || chunk.dropped()) {
            return;
        }
        if (c.streamed == null) {
            c.streamed = new StringBuilder();
        }
        if (c.streamed.length() < collectChars) {
            String text = chunk.encoded().toString();
            int room = collectChars - c.streamed.length();
            c.streamed.append(text, 0, Math.min(room, text.length())).append('\n');
        }
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        Collected c = state(exchange);
        if (c.logged) {
            log.offer(entry(exchange, outcome, c, System.nanoTime(), System.currentTimeMillis()));
        }
        return CONTINUE;
    }

    /** The row of a finished exchange. */
    LogEntry entry(Exchange exchange, Outcome outcome, Collected c, long nowNanos, long nowMillis) {
        int status = outcome.httpStatus();
        String code = outcome.errorCode();
        String result = outcome.result();
        long elapsed = Math.max(0, nowNanos - exchange.startNanos());
        long overhead = exchange.reportedOverheadNanos() >= 0 ? exchange.reportedOverheadNanos()
                : exchange.overheadNanos();
        Long ttft = exchange.streaming() && exchange.firstChunkNanos() > 0
                ? (exchange.firstChunkNanos() - exchange.startNanos()) / 1000 : null;
        Charge charge = exchange.get(Charge.KEY);
        Usage usage = charge != null ? charge.usage()
                : exchange.usage().map(Usage::of).orElse(Usage.NONE);
        ResolvedModel target = exchange.target();
        String requestBody = null;
        String responseBody = null;
        if (c.bodies) {
            ObjectNode body = exchange.chat() != null ? exchange.chat().body()
                    : exchange.embeddings() != null ? exchange.embeddings().body() : null;
            requestBody = body == null ? null : clip(body.toString());
            responseBody = c.streamed != null ? c.streamed.toString() : c.response == null ? null : clip(c.response);
            if (responseBody == null && outcome.failure() instanceof ApiException a) {
                responseBody = a.getMessage();
            }
        }
        String caller = exchange.caller() == null ? null : exchange.caller().keyId();
        return new LogEntry(0, exchange.requestId(), nowMillis - elapsed / 1_000_000, caller, session(exchange),
                protocol(exchange), exchange.operation().name().toLowerCase(Locale.ROOT), exchange.streaming(),
                exchange.requestedModel(), target == null ? null : target.model(),
                target == null ? null : target.provider().name(), target == null ? null : target.deployment(),
                attempts(exchange), status, result, code, elapsed / 1000, overhead / 1000, ttft, usage.prompt(),
                usage.completion(), usage.cached(), usage.reasoning(), charge == null ? 0 : charge.costMicros(),
                charge != null && charge.estimated(), requestBody, responseBody);
    }

    private String clip(String text) {
        return text.length() <= collectChars ? text : text.substring(0, collectChars);
    }

    /** The protocol the client spoke, as a short route name. */
    static String protocol(Exchange exchange) {
        if (exchange.protocol() == null) {
            return exchange.operation() == Exchange.Operation.EMBEDDINGS ? "embeddings" : "chat";
        }
        return switch (exchange.protocol().wire()) {
            case OPENAI_CHAT -> "chat";
            case ANTHROPIC_MESSAGES -> "messages";
            case OPENAI_RESPONSES -> "responses";
        };
    }

    /** The client's session: its session header, else the chat {@code user}, else {@code metadata.session_id}. */
    static String session(Exchange exchange) {
        String s = exchange.get(Exchange.CLIENT_SESSION);
        if ((s == null || s.isBlank()) && exchange.chat() != null) {
            ObjectNode body = exchange.chat().body();
            JsonNode user = body.get("user");
            if (user != null && user.isTextual() && !user.asText().isBlank()) {
                s = user.asText();
            } else {
                JsonNode id = body.path("metadata").get("session_id");
                s = id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
            }
        }
        return s == null || s.length() <= MAX_SESSION ? s : s.substring(0, MAX_SESSION);
    }

    /** Upstream attempts made, as the router reported them (1 when a target was reached without its count). */
    static int attempts(Exchange exchange) {
        String header = exchange.responseHeaders().get(RoutingDispatcher.ATTEMPTS_HEADER);
        if (header != null) {
            try {
                return Integer.parseInt(header);
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return exchange.target() == null ? 0 : 1;
    }
}
