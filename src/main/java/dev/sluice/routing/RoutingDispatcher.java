package dev.sluice.routing;

import dev.sluice.provider.ResolvedModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.WireBody;
import dev.sluice.tokens.TokenEstimator;
import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.GatewayHeaders;
import dev.sluice.pipeline.Dispatcher;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.ModelPath;
import dev.sluice.provider.NativeRequest;
import dev.sluice.provider.Passthrough;
import dev.sluice.provider.UpstreamException;
import dev.sluice.money.Price;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The router: sends each exchange to a deployment of its model group (or to the one provider a plain model name
 * resolves to), and when that fails retries, fails over to another deployment, or falls back to other groups, as
 * {@link RequestRouting} decides. Each attempt is bounded by its deployment's timeouts and the request deadline,
 * and passes through the deployment's circuit breaker.
 *
 * <p>Streams are committed to a deployment only once its first chunk has arrived: a stream that fails before
 * that fails over like any other attempt, invisibly to the client. After it, a failure reaches the client as an
 * error event (the pipeline writes it).
 *
 * <p>Every attempt updates {@link Exchange#target()} and the {@code x-sluice-provider}, {@code x-sluice-deployment}
 * and {@code x-sluice-attempts} response headers, so that the response (or error) names what served it.
 *
 * <p>An attempt takes its slot on the deployment (a request in flight, a request and its estimated tokens this
 * minute) when it starts, atomically against the deployment's caps; a deployment whose caps were filled by other
 * requests since the decision is passed over and the request decided again. The slot is given back when the
 * attempt ends, the estimate replaced by the tokens the upstream reported.
 *
 * <p>Plain model names get {@code sluice.routing.direct-retries} further attempts on 429 (honouring Retry-After
 * up to {@code max-retry-after}), 5xx, timeouts and connection errors, but no circuit breaker.
 */
@ApplicationScoped
public class RoutingDispatcher implements Dispatcher {

    public static final String DEPLOYMENT_HEADER = GatewayHeaders.DEPLOYMENT;
    public static final String ATTEMPTS_HEADER = GatewayHeaders.ATTEMPTS;
    /** The Sluice-only request field naming fallback models; removed before the request goes upstream. */
    public static final String FALLBACKS_FIELD = "fallbacks";
    static final int MAX_CLIENT_FALLBACKS = 10;
    static final Exchange.Key<RequestRouting> ROUTING = new Exchange.Key<>("sluice.routing", RequestRouting.class);
    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };
    /** Completes a breaker's call whose request went away: neither a success nor the deployment's fault. */
    private static final CancellationException ABANDONED = new CancellationException("the request went away");

    private final Routes routes;
    private final ModelResolver resolver;
    private final Vertx vertx;
    private final RoutingMetrics metrics;
    private final TokenEstimator estimator;
    private final List<DeploymentPricing> pricing;
    private final List<AttemptAdmission> admissions;
    private final Tracing tracing;

    @Inject
    public RoutingDispatcher(Routes routes, ModelResolver resolver, Vertx vertx, RoutingMetrics metrics,
                             TokenEstimator estimator, Instance<DeploymentPricing> pricing,
                             Instance<AttemptAdmission> admissions, Tracing tracing) {
        this.tracing = tracing;
        this.routes = routes;
        this.resolver = resolver;
        this.vertx = vertx;
        this.metrics = metrics;
        this.estimator = estimator;
        List<DeploymentPricing> p = new ArrayList<>();
        pricing.forEach(p::add);
        this.pricing = List.copyOf(p);
        List<AttemptAdmission> a = new ArrayList<>();
        admissions.forEach(a::add);
        a.sort(Comparator.comparingInt(AttemptAdmission::order));
        this.admissions = List.copyOf(a);
    }

    // ---- resolution -------------------------------------------------------------------------------------------

    @Override
    public void resolve(Exchange exchange) {
        RoutingTable table = routes.current();
        List<String> clientFallbacks = clientFallbacks(exchange);
        String requested = exchange.requestedModel();
        Leg primary;
        try {
            primary = leg(table, requested);
        } catch (ApiException e) {
            if (e.status() == 404 && !table.groups().isEmpty()) {
                List<String> names = table.groups().keySet().stream().limit(20).toList();
                throw ApiException.modelNotFound(e.getMessage() + "; model groups: " + String.join(", ", names));
            }
            throw e;
        }
        RequestRouting.Admission admission = admission(exchange);
        // a request refused here is still attributed to where it would have gone (metrics, ledger line)
        primary.deployments().stream().filter(d -> d.unusable() == null).findFirst()
                .ifPresent(d -> exchange.target(d.resolved(requested, primary.model(d))));
        refuseUpFront(admission, primary, "model");
        List<Leg> legs = plan(table, primary, clientFallbacks, admission);
        Context context = Vertx.currentContext();
        if (context == null) {
            context = vertx.getOrCreateContext();
        }
        long deadline = exchange.startNanos() + primary.settings(table).requestTimeout().toNanos();
        RequestRouting routing = new RequestRouting(table, requested, legs, new ContextTimers(vertx, context),
                deadline, exchange.streaming(), () -> estimatedTokens(exchange), this::price,
                name -> legOrNull(table, name), metrics, admission);
        exchange.put(ROUTING, routing);
        exchange.reachable(routing.reachable().stream()
                .map(e -> e.getValue().resolved(requested, e.getKey().model(e.getValue()))).toList());
        RequestRouting.Step first = routing.first(System.nanoTime());
        if (first instanceof RequestRouting.Attempt a) {
            exchange.target(a.deployment().resolved(requested, a.leg().model(a.deployment())));
        } else {
            Deployment likely = routing.likely();
            if (likely != null) {
                Leg leg = legs.stream().filter(l -> l.deployments().contains(likely)).findFirst().orElse(primary);
                exchange.target(likely.resolved(requested, leg.model(likely)));
            } else if (first instanceof RequestRouting.Fail f && f.error() instanceof ApiException e) {
                exchange.responseHeaders().put(ATTEMPTS_HEADER, "0");
                throw e;
            }
        }
    }

    /** The leg a model name designates: a group (or an alias of one), else a plain model name. */
    Leg leg(RoutingTable table, String name) {
        // a name with control characters is nobody's model, and must not reach an upstream's URL or the ledger
        ModelPath.check(name);
        Optional<Group> group = table.group(name);
        if (group.isPresent()) {
            return Leg.of(name, group.get());
        }
        String aliasTarget = resolver.aliases().get(name);
        if (aliasTarget != null) {
            Optional<Group> aliased = table.group(aliasTarget);
            if (aliased.isPresent()) {
                return Leg.of(name, aliased.get());
            }
        }
        ResolvedModel resolved = resolver.resolve(name);
        Deployment provider = table.providers().get(resolved.provider().name());
        if (provider == null) {
            throw ApiException.modelNotFound("The model '" + name + "' is served by provider '"
                    + resolved.provider().name() + "', which is not part of the routing table");
        }
        return Leg.direct(name, provider, resolved.model());
    }

    /** A leg for a fallback name, or null when the name designates nothing routable. */
    private Leg legOrNull(RoutingTable table, String name) {
        try {
            return leg(table, name);
        } catch (ApiException e) {
            return null;
        }
    }

    /**
     * The static admission of this exchange's caller (allow-list, price) for each deployment of a leg. Each
     * decision is kept for the request: a route considers the same deployments again and again.
     */
    private RequestRouting.Admission admission(Exchange exchange) {
        if (admissions.isEmpty() || exchange.caller() == null) {
            return RequestRouting.Admission.ALL;
        }
        Map<String, Optional<ApiException>> decided = new HashMap<>();
        return (leg, d) -> decided.computeIfAbsent(leg.name() + "\n" + d.id() + "\n" + leg.model(d), k -> {
            AttemptTarget target = new AttemptTarget(leg.name(), d.resolved(exchange.requestedModel(), leg.model(d)));
            for (AttemptAdmission a : admissions) {
                ApiException refusal = a.refusal(exchange, target);
                if (refusal != null) {
                    return Optional.of(refusal);
                }
            }
            return Optional.empty();
        }).orElse(null);
    }

    /**
     * A leg the client named (the model, a fallback) none of whose deployments the caller may use is refused
     * before anything is sent, naming the field; a leg the configuration adds (a group's fallback) is skipped.
     */
    private static void refuseUpFront(RequestRouting.Admission admission, Leg leg, String param) {
        ApiException first = null;
        for (Deployment d : leg.deployments()) {
            if (d.unusable() != null) {
                continue;
            }
            ApiException refusal = admission.refusal(leg, d);
            if (refusal == null) {
                return;
            }
            if (first == null) {
                first = refusal;
            }
        }
        if (first != null) {
            ApiException e = new ApiException(first.status(), first.type(), first.code(), param,
                    "model".equals(param) ? first.getMessage() : "Invalid '" + param + "': " + first.getMessage());
            first.headers().forEach(e::withHeader);
            throw e;
        }
    }

    private List<Leg> plan(RoutingTable table, Leg primary, List<String> clientFallbacks,
                           RequestRouting.Admission admission) {
        List<Leg> legs = new ArrayList<>();
        legs.add(primary);
        Set<String> seen = new HashSet<>();
        seen.add(primary.key());
        boolean fromClient = !clientFallbacks.isEmpty();
        List<String> names = fromClient ? clientFallbacks
                : primary.group() == null ? List.of()
                : !primary.group().fallbacks().isEmpty() ? primary.group().fallbacks() : table.defaultFallbacks();
        int max = primary.settings(table).maxFallbacks();
        for (int i = 0; i < names.size() && legs.size() <= max; i++) {
            Leg leg;
            try {
                leg = leg(table, names.get(i));
            } catch (ApiException e) {
                if (fromClient) {
                    String param = FALLBACKS_FIELD + "[" + i + "]";
                    throw ApiException.invalidRequest("Invalid '" + param + "': " + e.getMessage(), param);
                }
                continue;
            }
            if (fromClient) {
                refuseUpFront(admission, leg, FALLBACKS_FIELD + "[" + i + "]");
            }
            if (seen.add(leg.key())) {
                legs.add(leg);
            }
        }
        return legs;
    }

    /** Reads, checks and removes the Sluice-only {@code fallbacks} field: upstreams never see it. */
    private static List<String> clientFallbacks(Exchange exchange) {
        WireBody<?> body = exchange.chat() != null ? exchange.chat() : exchange.embeddings();
        JsonNode field = body.body().get(FALLBACKS_FIELD);
        if (field == null) {
            return List.of();
        }
        body.edit().remove(FALLBACKS_FIELD);
        if (field.isNull()) {
            return List.of();
        }
        if (!field.isArray()) {
            throw ApiException.invalidRequest("Invalid 'fallbacks': expected an array of model names", FALLBACKS_FIELD);
        }
        if (field.size() > MAX_CLIENT_FALLBACKS) {
            throw ApiException.invalidRequest("Invalid 'fallbacks': at most " + MAX_CLIENT_FALLBACKS
                    + " fallback models are accepted", FALLBACKS_FIELD);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < field.size(); i++) {
            JsonNode n = field.get(i);
            if (!n.isTextual() || n.asText().isBlank()) {
                String param = FALLBACKS_FIELD + "[" + i + "]";
                throw ApiException.invalidRequest("Invalid '" + param + "': expected a model name", param);
            }
            names.add(n.asText());
        }
        return names;
    }

    /**
     * The tokens a request counts against a deployment's tpm cap while it runs: its prompt (as billing estimates
     * it) and the output it asks for at most ({@code max_completion_tokens} or {@code max_tokens}, times
     * {@code n}). Replaced by the usage the upstream reports once the attempt ends.
     */
    private long estimatedTokens(Exchange exchange) {
        long prompt = estimator.prompt(exchange);
        if (exchange.chat() == null) {
            return prompt;
        }
        JsonNode body = exchange.chat().body();
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
                : body.get("max_tokens");
        long output = max != null && max.canConvertToLong() && max.asLong() > 0 ? max.asLong() : 0;
        return prompt + output * Math.max(1, body.path("n").asInt(1));
    }

    private Price price(Deployment d) {
        if (d.price() != null) {
            return d.price();
        }
        for (DeploymentPricing p : pricing) {
            Optional<Price> price = p.price(d.providerName(), d.model(), d.id());
            if (price.isPresent()) {
                return price.get();
            }
        }
        return null;
    }

    /** The admission right before an attempt is sent; null when it may go. */
    private ApiException admit(Exchange exchange, AttemptTarget target) {
        if (exchange.caller() == null) {
            return null;
        }
        for (AttemptAdmission a : admissions) {
            ApiException refusal = a.admit(exchange, target);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    // ---- dispatch ---------------------------------------------------------------------------------------------

    /** One attempt on one deployment. */
    @FunctionalInterface
    private interface Attempter<T> {
        Uni<T> attempt(Exchange exchange, RequestRouting routing, Deployment deployment, Leg leg,
                       DeploymentState.Lease lease);
    }

    @Override
    public Uni<ObjectNode> complete(Exchange exchange) {
        return Uni.createFrom().deferred(() -> step(exchange, routing(exchange), this::attemptComplete,
                routing(exchange).next(System.nanoTime())));
    }

    @Override
    public Uni<ChatStream> stream(Exchange exchange) {
        return Uni.createFrom().deferred(() -> step(exchange, routing(exchange), this::attemptStream,
                routing(exchange).next(System.nanoTime())));
    }

    private static RequestRouting routing(Exchange exchange) {
        RequestRouting r = exchange.get(ROUTING);
        if (r == null) {
            throw new IllegalStateException("the exchange was not resolved");
        }
        return r;
    }

    private <T> Uni<T> step(Exchange exchange, RequestRouting routing, Attempter<T> attempter,
                            RequestRouting.Step step) {
        if (step instanceof RequestRouting.Fail f) {
            exchange.responseHeaders().put(ATTEMPTS_HEADER, Integer.toString(routing.attempts()));
            return Uni.createFrom().failure(f.error());
        }
        if (step instanceof RequestRouting.Wait w) {
            long started = System.nanoTime();
            return routing.timers.sleep(w.pause()).chain(() -> {
                exchange.context().addUpstreamTime(System.nanoTime() - started);
                return step(exchange, routing, attempter, routing.next(System.nanoTime()));
            });
        }
        RequestRouting.Attempt a = (RequestRouting.Attempt) step;
        Supplier<Uni<T>> go = () -> {
            Deployment d = a.deployment();
            long now = System.nanoTime();
            DeploymentState.Lease lease = d.state().acquire(now, d, routing.tokensFor(d));
            if (lease == null) {
                return step(exchange, routing, attempter, routing.refused(a, now));
            }
            ResolvedModel target = d.resolved(routing.requested, a.leg().model(d));
            ApiException refusal = admit(exchange, new AttemptTarget(a.leg().name(), target));
            if (refusal != null) {
                lease.cancel();
                return step(exchange, routing, attempter, routing.refusedAtAdmission(a, refusal, now));
            }
            routing.started();
            exchange.target(target);
            exchange.responseHeaders().put(Pipeline.PROVIDER_HEADER, d.providerName());
            exchange.responseHeaders().put(DEPLOYMENT_HEADER, d.id());
            exchange.responseHeaders().put(ATTEMPTS_HEADER, Integer.toString(routing.attempts()));
            return traced(exchange, routing.attempts(), d, a.leg(), attempter.attempt(exchange, routing, d, a.leg(), lease))
                    .onFailure().recoverWithUni(f -> {
                        if (Log.isDebugEnabled()) {
                            Log.debugf("Request %s: attempt %d on deployment %s failed: %s", exchange.requestId(),
                                    routing.attempts(), d.id(), f.getMessage());
                        }
                        return step(exchange, routing, attempter, routing.failed(a, f, System.nanoTime()));
                    });
        };
        if (a.pause().isZero()) {
            return go.get();
        }
        long started = System.nanoTime();
        return routing.timers.sleep(a.pause()).chain(() -> {
            exchange.context().addUpstreamTime(System.nanoTime() - started);
            return go.get();
        });
    }

    /**
     * An attempt in its own span (when tracing is on): started as the attempt is sent, so that its trace context
     * goes upstream with it; ended with the answer, the failure, or when the request stops waiting. A stream's span
     * stays open until the stream ends.
     */
    private <T> Uni<T> traced(Exchange exchange, int number, Deployment d, Leg leg, Uni<T> attempt) {
        if (!tracing.enabled()) {
            return attempt;
        }
        return Uni.createFrom().deferred(() -> {
            Span span = tracing.attempt(exchange, number, d.id(), d.providerName(), d.provider().kind(),
                    leg.model(d));
            return attempt
                    .invoke(answer -> tracing.attemptAnswered(exchange, span, answer))
                    .onFailure().invoke(f -> tracing.attemptFailed(span, f))
                    .onCancellation().invoke(() -> tracing.attemptAbandoned(span));
        });
    }

    private Uni<ObjectNode> attemptComplete(Exchange exchange, RequestRouting routing, Deployment d, Leg leg,
                                            DeploymentState.Lease lease) {
        long now = System.nanoTime();
        Duration limit = min(d.timeouts().total(), routing.remaining(now));
        String model = leg.model(d);
        DeploymentState state = d.state();
        ChatCall chat;
        try {
            chat = exchange.operation() == Exchange.Operation.EMBEDDINGS ? null : chatCall(exchange, d, model);
        } catch (ApiException refused) {
            lease.cancel();
            return Uni.createFrom().failure(refused);
        }
        return measured(state, lease, () -> {
            Uni<ObjectNode> upstream = Uni.createFrom().deferred(() -> chat == null
                    ? d.provider().embeddings(new EmbeddingsCall(exchange.embeddings(), model, exchange.context()))
                    : d.provider().chat(chat));
            return routing.timers.deadline(upstream, limit, () -> UpstreamException.timeout(d.providerName(),
                    "no complete answer within " + seconds(limit)));
        }, response -> {
            exchange.put(Exchange.NATIVE_ANSWER,
                    chat == null || chat.passthrough() == null ? null : chat.passthrough().answer());
            settle(lease, response.path("usage"));
        });
    }

    private Uni<ChatStream> attemptStream(Exchange exchange, RequestRouting routing, Deployment d, Leg leg,
                                          DeploymentState.Lease lease) {
        long now = System.nanoTime();
        Duration limit = min(d.timeouts().firstByte(), routing.remaining(now));
        Duration idle = d.timeouts().streamIdle();
        String model = leg.model(d);
        String provider = d.providerName();
        DeploymentState state = d.state();
        ChatCall chat;
        try {
            chat = chatCall(exchange, d, model);
        } catch (ApiException refused) {
            lease.cancel();
            return Uni.createFrom().failure(refused);
        }
        return measured(state, lease, () -> {
            Uni<ChatStream> open = Uni.createFrom()
                    .deferred(() -> d.provider().chatStream(chat))
                    .chain(stream -> {
                        // the upstream clock ran until the response headers; the wait for the first chunk is
                        // upstream time too (a reasoning model may think for seconds), not Sluice's overhead
                        long headersAt = System.nanoTime();
                        return FirstChunkGate.prime(stream, routing.timers, idle,
                            () -> UpstreamException.timeout(provider, "the stream sent nothing for " + seconds(idle)),
                            () -> UpstreamException.badResponse(provider, "the stream ended before its first chunk"),
                            (failure, byClient) -> {
                                settle(lease, exchange.usage().map(u -> (JsonNode) u).orElse(null));
                                if (failure != null) {
                                    streamBroke(state, failure);
                                }
                            })
                                .onTermination().invoke(() -> exchange.context()
                                        .addUpstreamTime(System.nanoTime() - headersAt));
                    });
            return routing.timers.deadline(open, limit, () -> UpstreamException.timeout(provider,
                    "no first chunk within " + seconds(limit)));
        }, stream -> {
            // a stream's usage is settled when it ends (above)
        });
    }

    /**
     * An attempt's upstream call, through its deployment's breaker, and what it tells the deployment: the time to
     * its first byte and a success (after {@code answered} has seen the answer), or the failure; a failed or
     * abandoned attempt gives its lease back.
     */
    private <T> Uni<T> measured(DeploymentState state, DeploymentState.Lease lease, Supplier<Uni<T>> upstream,
                                Consumer<T> answered) {
        long[] startedAt = {0};
        Supplier<Uni<T>> timed = () -> {
            startedAt[0] = System.nanoTime();
            return upstream.get();
        };
        return guarded(state, timed)
                .invoke(answer -> {
                    state.ttfb(System.nanoTime() - startedAt[0]);
                    answered.accept(answer);
                    count(state, "success");
                })
                .onFailure().invoke(f -> {
                    attemptFailed(state, f, startedAt[0]);
                    giveBack(lease, f, startedAt[0]);
                })
                .onCancellation().invoke(() -> giveBack(lease, null, startedAt[0]));
    }

    /**
     * The chat call of one attempt. A client that spoke another protocol than OpenAI chat has its own request passed
     * through when the deployment's provider speaks that protocol (decided per attempt: a group may mix protocols);
     * otherwise the attempt sends the translation, naming what it dropped in {@code x-sluice-dropped}, or is
     * refused with a 400 when the request holds something that cannot be translated.
     */
    static ChatCall chatCall(Exchange exchange, Deployment d, String model) {
        NativeRequest origin = exchange.nativeRequest();
        if (origin == null) {
            return new ChatCall(exchange.chat(), model, exchange.context());
        }
        Passthrough passthrough = d.provider().speaks(origin.protocol(), model)
                ? origin.passthrough(model, exchange.chat()) : null;
        if (passthrough != null) {
            exchange.responseHeaders().remove(NativeRequest.DROPPED_HEADER);
            return new ChatCall(exchange.chat(), model, exchange.context(), passthrough);
        }
        if (origin.untranslatable() != null) {
            throw origin.untranslatable();
        }
        if (origin.dropped().isEmpty()) {
            exchange.responseHeaders().remove(NativeRequest.DROPPED_HEADER);
        } else {
            exchange.responseHeaders().put(NativeRequest.DROPPED_HEADER, String.join(", ", origin.dropped()));
        }
        return new ChatCall(exchange.chat(), model, exchange.context());
    }

    /** An attempt that produced an answer: the reported usage replaces its estimate (kept when none came). */
    private static void settle(DeploymentState.Lease lease, JsonNode usage) {
        JsonNode total = usage == null ? null : usage.path("total_tokens");
        if (total != null && total.canConvertToLong()) {
            lease.settle(total.asLong());
        } else {
            lease.end();
        }
    }

    /**
     * The slot of an attempt that failed or was abandoned. Never sent (breaker open, client gone first): nothing
     * is counted. Refused by the upstream with a status: no tokens were used. Cut short without an answer
     * (timeout, broken connection, client gone): the estimate stays, as the upstream may have worked on it.
     */
    private static void giveBack(DeploymentState.Lease lease, Throwable failure, long startedAt) {
        if (startedAt == 0) {
            lease.cancel();
        } else if (failure instanceof UpstreamException u && u.upstreamStatus() > 0) {
            lease.settle(0);
        } else {
            lease.end();
        }
    }

    private static void attemptFailed(DeploymentState state, Throwable f, long startedAt) {
        if (f instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException) {
            return;
        }
        count(state, RoutingMetrics.outcome(f));
        if (f instanceof UpstreamException u) {
            state.failed(u.kind().name(), u.upstreamStatus(), u.getMessage());
            if (u.kind() == UpstreamException.Kind.TIMEOUT && startedAt != 0) {
                state.ttfb(System.nanoTime() - startedAt);
            }
        } else {
            state.failed("ERROR", 0, String.valueOf(f.getMessage()));
        }
    }

    /** A stream that broke after its first chunk: recorded, and counted by the deployment's breaker. */
    private static void streamBroke(DeploymentState state, Throwable failure) {
        RoutingMetrics.DeploymentMeters m = state.meters;
        if (m != null) {
            m.interrupted();
        }
        if (failure instanceof UpstreamException u) {
            state.failed(u.kind().name() + " (mid-stream)", u.upstreamStatus(), u.getMessage());
        }
        Guard guard = state.guard();
        if (guard != null && DeploymentState.countsAgainst(failure)) {
            try {
                guard.call(() -> Uni.createFrom().failure(failure), UNI).subscribe().with(x -> {
                }, x -> {
                });
            } catch (Exception ignored) {
                // the breaker is open already
            }
        }
    }

    private static void count(DeploymentState state, String outcome) {
        RoutingMetrics.DeploymentMeters m = state.meters;
        if (m != null) {
            m.attempt(outcome);
        }
    }

    /**
     * Runs an attempt through the deployment's circuit breaker. SmallRye Fault Tolerance does not pass a
     * cancellation on to the Uni it guards, so the attempt is subscribed here and cancelled here when the request
     * goes away; the breaker's call is then completed as abandoned, which it does not count as a failure.
     */
    @SuppressWarnings("unchecked")
    static <T> Uni<T> guarded(DeploymentState state, Supplier<Uni<T>> attempt) {
        Guard guard = state.guard();
        if (guard == null) {
            return Uni.createFrom().deferred(attempt::get);
        }
        return Uni.createFrom().emitter(em -> {
            AtomicBoolean settled = new AtomicBoolean();
            AtomicBoolean abandoned = new AtomicBoolean();
            AtomicReference<Cancellable> running = new AtomicReference<>();
            AtomicReference<UniEmitter<? super Object>> inner = new AtomicReference<>();
            em.onTermination(() -> {
                if (settled.get()) {
                    return;
                }
                abandoned.set(true);
                Cancellable c = running.get();
                if (c != null) {
                    c.cancel();
                }
                UniEmitter<? super Object> in = inner.get();
                if (in != null) {
                    in.fail(ABANDONED);
                }
            });
            Uni<Object> call;
            try {
                call = guard.call(() -> Uni.createFrom().emitter(in -> {
                    if (abandoned.get()) {
                        in.fail(ABANDONED);
                        return;
                    }
                    inner.set(in);
                    running.set(Uni.createFrom().deferred(attempt::get).subscribe().with(in::complete, in::fail));
                }), UNI);
            } catch (Exception e) {
                settled.set(true);
                em.fail(e);
                return;
            }
            call.subscribe().with(item -> {
                settled.set(true);
                em.complete((T) item);
            }, failure -> {
                settled.set(true);
                em.fail(failure);
            });
        });
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A duration as people read it: {@code 1.5s}, {@code 30s}. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
