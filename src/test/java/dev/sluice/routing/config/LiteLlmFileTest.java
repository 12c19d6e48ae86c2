package dev.sluice.routing.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.routing.config.Strategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A LiteLLM config.yaml read as LiteLLM documents it. */
class LiteLlmFileTest {

    static final LiteLlmFile.Providers PROVIDERS = new LiteLlmFile.Providers() {
        @Override
        public boolean known(String name) {
            return List.of("openai", "groq", "mycorp").contains(name);
        }

        @Override
        public Optional<String> forBareModel(String model) {
            return model.startsWith("gpt-") ? Optional.of("openai")
                    : model.startsWith("claude-") ? Optional.of("anthropic") : Optional.empty();
        }
    };

    static RoutingSpec parse(String yaml, Map<String, String> env) throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertTrue(LiteLlmFile.recognises(root));
        return LiteLlmFile.parse(root, "config.yaml", PROVIDERS, name -> Optional.ofNullable(env.get(name)));
    }

    @Test
    void providerPrefixesMapToSluiceProviders() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: azure/my-gpt4o-deployment, api_base: "https://x.openai.azure.com",
                                     api_key: os.environ/AZURE_API_KEY, api_version: "2024-10-21"}
                  - model_name: m
                    litellm_params: {model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0, aws_region_name: eu-west-1}
                  - model_name: m
                    litellm_params: {model: together_ai/meta-llama/Llama-3-70b-chat-hf}
                  - model_name: m
                    litellm_params: {model: ollama_chat/llama3, api_base: "http://localhost:11434"}
                  - model_name: m
                    litellm_params: {model: claude-3-5-sonnet-20240620}
                  - model_name: m
                    litellm_params: {model: mycorp/internal-model}
                  - model_name: m
                    litellm_params: {model: cohere/command-r}
                  - model_name: m
                    litellm_params: {model: mystery-model}
                """, Map.of("AZURE_API_KEY", "az-key"));
        List<DeploymentSpec> d = spec.groups().get("m").deployments();
        assertEquals("azure", d.get(0).provider());
        assertEquals("my-gpt4o-deployment", d.get(0).model());
        assertEquals(Optional.of("az-key"), d.get(0).apiKey());
        assertEquals(Map.of("api-version", "2024-10-21"), d.get(0).options());
        assertEquals("bedrock", d.get(1).provider());
        assertEquals("anthropic.claude-3-5-sonnet-20240620-v1:0", d.get(1).model());
        assertEquals(Map.of("region", "eu-west-1"), d.get(1).options());
        assertEquals("together", d.get(2).provider());
        assertEquals("meta-llama/Llama-3-70b-chat-hf", d.get(2).model(), "only the provider prefix is removed");
        assertEquals("ollama", d.get(3).provider());
        assertEquals("anthropic", d.get(4).provider(), "a bare model name goes by Sluice's model rules");
        assertEquals("claude-3-5-sonnet-20240620", d.get(4).model());
        assertEquals("mycorp", d.get(5).provider(), "a prefix naming a Sluice provider is that provider");
        assertTrue(d.get(6).unusable().orElseThrow().contains("'cohere' has no Sluice equivalent"));
        assertTrue(d.get(7).unusable().orElseThrow().contains("names no provider"));
        assertEquals(List.of("m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8"),
                d.stream().map(DeploymentSpec::id).toList());
    }

    @Test
    void orderWeightRpmTimeoutAndCostMapToTheDeployment() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: by-rpm
                    litellm_params: {model: openai/gpt-4o, rpm: 900, tpm: 100000, timeout: 30, stream_timeout: 5,
                                     max_parallel_requests: 8, input_cost_per_token: 0.0000025,
                                     output_cost_per_token: 0.00001}
                  - model_name: by-rpm
                    litellm_params: {model: openai/gpt-4o, rpm: 100, order: 1}
                    model_info: {id: secondary}
                  - model_name: by-weight
                    litellm_params: {model: openai/gpt-4o, weight: 9}
                  - model_name: by-weight
                    litellm_params: {model: openai/gpt-4o}
                  - model_name: by-weight
                    litellm_params: {model: openai/gpt-4o, weight: 1}
                """, Map.of());
        List<DeploymentSpec> rpm = spec.groups().get("by-rpm").deployments();
        assertEquals(900, rpm.get(0).weight(), "without weights, simple-shuffle weighs by rpm");
        assertEquals(100, rpm.get(1).weight());
        assertEquals(900, rpm.get(0).rpm());
        assertEquals(100000, rpm.get(0).tpm());
        assertEquals(8, rpm.get(0).maxInFlight());
        assertEquals(Duration.ofSeconds(30), rpm.get(0).timeouts().total());
        assertEquals(Duration.ofSeconds(5), rpm.get(0).timeouts().firstByte());
        assertEquals(2_500_000, rpm.get(0).price().orElseThrow().inputPerMillion(), "USD 2.50 per million, in micro-dollars");
        assertEquals(10_000_000, rpm.get(0).price().orElseThrow().outputPerMillion());
        assertEquals("secondary", rpm.get(1).id());
        assertEquals(1, rpm.get(1).priority());
        assertEquals(2, rpm.get(0).priority(), "no order: after every ordered deployment");
        List<DeploymentSpec> weight = spec.groups().get("by-weight").deployments();
        assertEquals(9, weight.get(0).weight());
        assertEquals(0, weight.get(1).weight(), "simple-shuffle counts a missing weight as 0");
        assertEquals(1, weight.get(2).weight());
        assertEquals(0, weight.get(1).priority());
    }

    @Test
    void simpleShuffleWeighsByWhatTheFirstDeploymentOfATierSets() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: first-unweighted
                    litellm_params: {model: openai/gpt-4o}
                  - model_name: first-unweighted
                    litellm_params: {model: openai/gpt-4o, weight: 5, rpm: 50}
                  - model_name: rpm-basis
                    litellm_params: {model: openai/gpt-4o, rpm: 60, tpm: 1000}
                  - model_name: rpm-basis
                    litellm_params: {model: openai/gpt-4o, tpm: 9000}
                  - model_name: tiers
                    litellm_params: {model: openai/gpt-4o, weight: 2, order: 1}
                  - model_name: tiers
                    litellm_params: {model: openai/gpt-4o, order: 1}
                  - model_name: tiers
                    litellm_params: {model: openai/gpt-4o, tpm: 300, order: 2}
                  - model_name: tiers
                    litellm_params: {model: openai/gpt-4o, tpm: 100, weight: 7, order: 2}
                """, Map.of());
        assertEquals(List.of(1.0, 1.0), weights(spec, "first-unweighted"),
                "the first sets neither weight, rpm nor tpm: even picks, whatever the others set");
        assertEquals(List.of(60.0, 0.0), weights(spec, "rpm-basis"), "weighed by rpm; none counts as 0");
        assertEquals(List.of(2.0, 0.0, 300.0, 100.0), weights(spec, "tiers"),
                "each order tier by its own first deployment: weight, then tpm");
    }

    static List<Double> weights(RoutingSpec spec, String group) {
        return spec.groups().get(group).deployments().stream().map(DeploymentSpec::weight).toList();
    }

    @Test
    void routerSettingsWinOverLitellmSettings() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                  - model_name: b
                    litellm_params: {model: openai/gpt-4o-mini}
                router_settings:
                  routing_strategy: latency-based-routing
                  num_retries: 4
                  timeout: 45
                  allowed_fails: 3
                  cooldown_time: 20
                  fallbacks: [{"a": ["b"]}]
                  model_group_alias: {"shown": "a", "hidden": {"model": "b", "hidden": true}}
                litellm_settings:
                  num_retries: 1
                  request_timeout: 10
                  context_window_fallbacks: [{"a": ["b"]}]
                  default_fallbacks: ["b"]
                """, Map.of());
        SettingsOverrides s = spec.settings();
        assertEquals(Strategy.LOWEST_LATENCY, s.strategy());
        assertEquals(4, s.retries());
        assertEquals(Duration.ofSeconds(45), s.timeouts().total());
        assertEquals(4, s.breakerWindow());
        assertEquals(1.0, s.breakerFailureRatio());
        assertEquals(Duration.ofSeconds(20), s.breakerOpenFor());
        assertEquals(List.of("b"), spec.groups().get("a").fallbacks());
        assertEquals(List.of("b"), spec.groups().get("a").contextWindowFallbacks());
        assertEquals(List.of("b"), spec.defaultFallbacks());
        assertEquals(Map.of("shown", "a", "hidden", "b"), spec.aliases());
        assertEquals(List.of("hidden"), spec.hiddenAliases());
        assertTrue(spec.warnings().isEmpty(), spec.warnings().toString());
    }

    @Test
    void everythingNotAppliedIsReportedOnceWithWhereItApplies() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, temperature: 0.1, max_tokens: 100}
                    model_info: {id: a1, supports_vision: true}
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, temperature: 0.2}
                    model_info: {id: a2}
                  - model_name: "openai/*"
                    litellm_params: {model: "openai/*"}
                router_settings:
                  routing_strategy: usage-based-routing-v2
                  redis_host: redis
                  content_policy_fallbacks: [{"a": ["a"]}]
                litellm_settings:
                  callbacks: ["otel"]
                general_settings:
                  master_key: sk-1234
                  database_url: postgresql://x
                guardrails: []
                """, Map.of());
        String all = String.join("\n", spec.warnings());
        assertTrue(all.contains("litellm_params.temperature: default request parameters and other litellm_params are "
                + "not supported; ignored (a1, a2)"), all);
        assertTrue(all.contains("litellm_params.max_tokens"), all);
        assertTrue(all.contains("model_info.supports_vision"), all);
        assertTrue(all.contains("wildcard model 'openai/*'"), all);
        assertTrue(all.contains("usage-based-routing-v2' is served as weighted-random"), all);
        assertTrue(all.contains("router_settings.redis_host"), all);
        assertTrue(all.contains("router_settings.content_policy_fallbacks"), all);
        assertTrue(all.contains("litellm_settings.callbacks"), all);
        assertTrue(all.contains("general_settings.master_key: Sluice's master key is SLUICE_MASTER_KEY"), all);
        assertTrue(all.contains("general_settings.database_url"), all);
        assertTrue(all.contains("guardrails: not supported"), all);
        assertEquals(1, spec.warnings().stream().filter(w -> w.contains("litellm_params.temperature")).count(),
                "reported once");
        assertFalse(spec.groups().containsKey("openai/*"));
    }

    @Test
    void environmentReferencesReadTheEnvironmentThenTheFileAsLiteLlmDoes() throws Exception {
        RoutingSpec spec = parse("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, api_key: os.environ/FROM_ENV, api_base: os.environ/FROM_FILE}
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o, api_key: os.environ/NOWHERE}
                environment_variables:
                  FROM_FILE: http://10.0.0.1:8000/v1
                  FROM_ENV: overridden-by-the-environment
                """, Map.of("FROM_ENV", "sk-env"));
        List<DeploymentSpec> d = spec.groups().get("a").deployments();
        assertEquals(Optional.of("sk-env"), d.get(0).apiKey());
        assertEquals(Optional.of("http://10.0.0.1:8000/v1"), d.get(0).baseUrl());
        assertTrue(d.get(1).unusable().orElseThrow().contains("os.environ/NOWHERE, which is not set"));
    }

    @Test
    void malformedFallbacksAreErrors() {
        RoutingFileException e = assertThrows(RoutingFileException.class, () -> parse("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  fallbacks: {"a": "b"}
                """, Map.of()));
        assertTrue(e.getMessage().contains("router_settings.fallbacks: expected a list"), e.getMessage());
    }
}
