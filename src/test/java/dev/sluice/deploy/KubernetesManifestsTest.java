package dev.sluice.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.routing.config.DeploymentSpec;
import dev.sluice.routing.config.GroupSpec;
import dev.sluice.routing.config.RoutingFiles;
import dev.sluice.routing.config.RoutingSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Validates the manifests in deploy/k8s against the Kubernetes API's typed model (fabric8): an unknown field
 * anywhere, or a value of the wrong type — including a number or boolean where the API wants a string, which
 * {@code kubectl apply} refuses — fails, as the API server would refuse it.
 *
 * <p>Every manifest file (the resources of each kustomization and its patches that are whole objects) is validated
 * on its own, which needs nothing but a JDK. Every overlay is also rendered with {@code kubectl kustomize} (no
 * cluster needed) and the rendered objects are validated and checked against what the deployment promises. Where
 * kubectl is absent the rendering tests are skipped with a loud notice, unless {@code SLUICE_REQUIRE_TOOLS=1} is set
 * (CI sets it), in which case its absence fails them.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("deploy", "k8s");
    private static final ObjectMapper YAML = strictYaml();

    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /**
     * Unknown properties fail, strings are not coerced to numbers, and — unlike Jackson's default — numbers and
     * booleans are not coerced to strings: an unquoted {@code true} annotation or {@code value: 8080} is refused.
     */
    private static ObjectMapper strictYaml() {
        JsonMapper mapper = JsonMapper.builder(new YAMLFactory())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    // ---- rendering ---------------------------------------------------------------------------------------------

    /** "base" and every overlay directory with a kustomization.yaml. */
    static List<String> kustomizations() throws IOException {
        List<String> dirs = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(ROOT.resolve("overlays"))) {
            overlays.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted()
                    .forEach(d -> dirs.add("overlays/" + d.getFileName()));
        }
        return dirs;
    }

    private static Boolean kubectlPresent;

    static synchronized boolean kubectlPresent() {
        if (kubectlPresent == null) {
            try {
                Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                kubectlPresent = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException notInstalled) {
                kubectlPresent = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kubectlPresent = false;
            }
            if (!kubectlPresent && !"1".equals(System.getenv("SLUICE_REQUIRE_TOOLS"))) {
                System.err.println("""

                        ##############################################################################################
                        ##  WARNING: kubectl was not found. The kustomize overlays in deploy/k8s were NOT rendered:    ##
                        ##  what patches, image settings and overlays produce is NOT checked on this machine. Every    ##
                        ##  manifest file was validated against the Kubernetes schema on its own. Install kubectl to   ##
                        ##  check the rendering; SLUICE_REQUIRE_TOOLS=1 (as CI sets) makes its absence a failure.      ##
                        ##############################################################################################
                        """);
            }
        }
        return kubectlPresent;
    }

    /** The rendered overlay; skips the calling test (loudly) when kubectl is absent, unless tools are required. */
    static String render(String dir) throws IOException, InterruptedException {
        if (!kubectlPresent()) {
            String why = "kubectl is not installed: the overlay " + dir + " was not rendered";
            if ("1".equals(System.getenv("SLUICE_REQUIRE_TOOLS"))) {
                fail(why + ", and SLUICE_REQUIRE_TOOLS=1 requires it");
            }
            Assumptions.abort(why + " (each manifest file was validated on its own)");
        }
        Process p = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(dir).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + out);
        return out;
    }

    // ---- validation --------------------------------------------------------------------------------------------

    /** Parses and validates every object of a YAML stream. */
    static List<Object> validate(String yaml) throws IOException {
        List<Object> objects = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(yaml).readAll().stream()
                .map(JsonNode.class::cast).toList()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<?> type = KINDS.get(key);
            if (type == null) {
                throw new AssertionError("no schema known for " + key);
            }
            Object object = YAML.treeToValue(doc, type);
            List<String> unknown = new ArrayList<>();
            unknownFields(object, doc.path("kind").asText(), unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new AssertionError("unknown fields in " + key + " " + doc.path("metadata").path("name").asText()
                        + ": " + unknown);
            }
            objects.add(object);
        }
        return objects;
    }

    /** The Kubernetes model keeps unknown fields in additionalProperties maps: any non-empty one is an error. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.containsKey(o) || o instanceof String || o instanceof Number || o instanceof Boolean
                || o.getClass().isEnum()) {
            return;
        }
        seen.put(o, true);
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + " " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + m.getName().substring(3), out, seen);
                }
            } catch (ReflectiveOperationException ignored) {
                // not a property
            }
        }
    }

    /**
     * The manifest files a kustomization uses, followed through its bases: its resources, and its patches given as
     * files that hold whole objects (apiVersion and kind; JSON-patch lists are not objects and are skipped).
     */
    static Set<Path> manifestFiles(Path kustomizationDir) throws IOException {
        Set<Path> files = new TreeSet<>();
        collect(kustomizationDir.normalize(), files, new TreeSet<>());
        return files;
    }

    private static void collect(Path dir, Set<Path> files, Set<Path> visited) throws IOException {
        if (!visited.add(dir)) {
            return;
        }
        Path kustomization = dir.resolve("kustomization.yaml");
        assertTrue(Files.isRegularFile(kustomization), dir + " has no kustomization.yaml");
        JsonNode k = YAML.readTree(Files.readString(kustomization));
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                collect(p, files, visited);
            } else {
                assertTrue(Files.isRegularFile(p), kustomization + " names " + r.asText() + ", which does not exist");
                files.add(p);
            }
        }
        for (JsonNode patch : k.path("patches")) {
            if (patch.hasNonNull("path")) {
                Path p = dir.resolve(patch.get("path").asText()).normalize();
                assertTrue(Files.isRegularFile(p), kustomization + " names " + p + ", which does not exist");
                JsonNode doc = YAML.readTree(Files.readString(p));
                if (doc.isObject() && doc.hasNonNull("apiVersion") && doc.hasNonNull("kind")) {
                    files.add(p);
                }
            }
        }
    }

    // ---- tests that need nothing but a JDK ---------------------------------------------------------------------

    @Test
    void everyManifestFileValidatesAgainstTheKubernetesSchemaOnItsOwn() throws Exception {
        Set<Path> all = new TreeSet<>();
        for (String dir : kustomizations()) {
            Set<Path> files = manifestFiles(ROOT.resolve(dir));
            assertFalse(files.isEmpty(), dir + " uses no manifest file");
            all.addAll(files);
        }
        for (Path file : all) {
            List<Object> objects = assertDoesNotThrow(() -> validate(Files.readString(file)), file.toString());
            assertFalse(objects.isEmpty(), file + " holds no object");
        }
        // the deployment patches of the overlays are among them (they are whole objects)
        assertTrue(all.contains(ROOT.resolve("overlays/ha/deployment-patch.yaml")), all.toString());
        assertTrue(all.contains(ROOT.resolve("overlays/jvm/deployment-patch.yaml")), all.toString());
    }

    @Test
    void theValidatorRejectsUnknownFieldsAndWrongTypes() throws Exception {
        String unknownField = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz:\n    - port: 80\n";
        assertThrows(AssertionError.class, () -> validate(unknownField));
        String nestedUnknown = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n"
                + "    spec:\n      containers:\n        - name: a\n          image: b\n          imagePullPolicyy: Always\n";
        assertThrows(AssertionError.class, () -> validate(nestedUnknown));
        String textForANumber = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: two\n";
        assertThrows(IOException.class, () -> validate(textForANumber));
    }

    @Test
    void anUnquotedBooleanAnnotationIsRefusedAsKubectlWould() throws Exception {
        String annotation = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n"
                + "    prometheus.io/scrape: %s\nspec:\n  ports:\n    - port: 80\n";
        assertThrows(IOException.class, () -> validate(annotation.formatted("true")));
        assertDoesNotThrow(() -> validate(annotation.formatted("\"true\"")), "quoted, it is a string");
    }

    @Test
    void anUnquotedNumberOrBooleanEnvironmentValueIsRefusedAsKubectlWould() throws Exception {
        String env = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n"
                + "      containers:\n        - name: a\n          image: b\n          env:\n"
                + "            - name: PORT\n              value: %s\n";
        assertThrows(IOException.class, () -> validate(env.formatted("8080")));
        assertThrows(IOException.class, () -> validate(env.formatted("0.5")));
        assertThrows(IOException.class, () -> validate(env.formatted("false")));
        assertDoesNotThrow(() -> validate(env.formatted("\"8080\"")), "quoted, it is a string");
    }

    @Test
    void theBaseConfigMapCarriesAValidRoutingFileThatSluiceReads() throws Exception {
        ConfigMap config = (ConfigMap) validate(Files.readString(ROOT.resolve("base/configmap.yaml"))).get(0);
        String properties = config.getData().get("application.properties");
        assertTrue(properties.lines().map(String::strip)
                        .anyMatch("sluice.routing.config-file=/work/config/models.yaml"::equals),
                "application.properties names the routing file: " + properties);
        Deployment deployment = (Deployment) validate(Files.readString(ROOT.resolve("base/deployment.yaml"))).get(0);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        String volume = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null
                && "sluice-config".equals(v.getConfigMap().getName())).findFirst().orElseThrow().getName();
        assertTrue(sluice(pod).getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume)
                && m.getMountPath().equals("/work/config")), "the ConfigMap is mounted where the property points");

        // parsed by Sluice's own routing-file reader, as the pod will at start-up
        String models = config.getData().get("models.yaml");
        assertTrue(models != null && !models.isBlank(), "the ConfigMap has a models.yaml key");
        RoutingSpec spec = RoutingFiles.parse(new RoutingFiles.Contents(List.of(Path.of("/work/config/models.yaml")),
                        List.of(models.getBytes(StandardCharsets.UTF_8)), "configmap"), null,
                name -> Optional.empty(), name -> Optional.empty());
        assertEquals(List.of(), spec.warnings());
        assertFalse(spec.groups().isEmpty());
        Set<String> builtIn = builtInProviders();
        for (GroupSpec group : spec.groups().values()) {
            assertFalse(group.deployments().isEmpty(), group.name());
            for (DeploymentSpec d : group.deployments()) {
                assertTrue(builtIn.contains(d.provider()), d + ": a provider Sluice has built in (" + builtIn + ")");
                assertEquals(Optional.empty(), d.unusable(), d.toString());
            }
            for (String fallback : group.fallbacks()) {
                assertTrue(spec.groups().containsKey(fallback), group.name() + " falls back to a group of the file");
            }
        }
    }

    /** Provider names with settings in Sluice's own application.properties. */
    private static Set<String> builtInProviders() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^sluice\\.providers\\.([a-z0-9-]+)\\.")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    // ---- tests of the rendered overlays ------------------------------------------------------------------------

    /** Sluice's container in a pod: a regular container, or a native sidecar (a restartable init container). */
    private static Container sluice(PodSpec pod) {
        return Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
                .filter(c -> c.getName().equals("sluice")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyOverlayRendersAndValidatesAgainstTheKubernetesSchema(String dir) throws Exception {
        List<Object> objects = validate(render(dir));
        assertFalse(objects.isEmpty());
        for (Object o : objects) {
            if (o instanceof Deployment d) {
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                assertEquals(false, pod.getAutomountServiceAccountToken());
                assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
                assertTrue(pod.getSecurityContext().getRunAsNonRoot());
                Container sluice = sluice(pod);
                assertTrue(pod.getTerminationGracePeriodSeconds() >= 35, "covers the shutdown delay and drain");
                assertTrue(sluice.getImage().startsWith("ghcr.io/sluice-gateway/sluice:"), sluice.getImage());
                assertTrue(sluice.getSecurityContext().getReadOnlyRootFilesystem());
                assertFalse(sluice.getSecurityContext().getAllowPrivilegeEscalation());
                assertEquals(List.of("ALL"), sluice.getSecurityContext().getCapabilities().getDrop());
                assertTrue(sluice.getResources().getLimits().containsKey("memory"));
                if (sluice.getImage().endsWith("-native")) {
                    assertEquals("50m", sluice.getResources().getRequests().get("cpu").toString());
                    assertEquals("64Mi", sluice.getResources().getRequests().get("memory").toString());
                }
                assertEquals("/q/health/started", sluice.getStartupProbe().getHttpGet().getPath());
                assertEquals("/q/health/live", sluice.getLivenessProbe().getHttpGet().getPath());
                assertEquals("/q/health/ready", sluice.getReadinessProbe().getHttpGet().getPath());
                assertTrue(sluice.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/data")));
                assertTrue(sluice.getEnv() == null || sluice.getEnv().stream().noneMatch(e ->
                                e.getName().equals("QUARKUS_HTTP_HOST") && "127.0.0.1".equals(e.getValue())),
                        "bound to 127.0.0.1 the kubelet's HTTP probes (to the pod IP) could never pass");
            }
        }
    }

    @Test
    void theBaseHasEveryObjectThePodNeeds() throws Exception {
        List<Object> objects = validate(render("base"));
        for (Class<?> type : List.of(Deployment.class, Service.class, ConfigMap.class,
                PersistentVolumeClaim.class, NetworkPolicy.class, ServiceAccount.class)) {
            assertTrue(objects.stream().anyMatch(type::isInstance), "base lacks a " + type.getSimpleName());
        }
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        // the embedded store is one SQLite file on one pod's volume: one replica, on a volume that outlives the pod,
        // and nothing that would add replicas (each would have keys and credit of its own)
        assertEquals(1, d.getSpec().getReplicas());
        assertEquals("Recreate", d.getSpec().getStrategy().getType());
        PersistentVolumeClaim claim = (PersistentVolumeClaim) objects.stream()
                .filter(PersistentVolumeClaim.class::isInstance).findFirst().orElseThrow();
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals("data")
                && v.getPersistentVolumeClaim() != null
                && v.getPersistentVolumeClaim().getClaimName().equals(claim.getMetadata().getName())),
                "the data directory is on the claim");
        assertTrue(objects.stream().noneMatch(HorizontalPodAutoscaler.class::isInstance),
                "an autoscaler would run several pods, each on a store of its own");
        assertTrue(sluice(d.getSpec().getTemplate().getSpec()).getImage().endsWith("-native"), "the native image");
        NetworkPolicy np = (NetworkPolicy) objects.stream().filter(NetworkPolicy.class::isInstance).findFirst().orElseThrow();
        List<Integer> egressPorts = np.getSpec().getEgress().stream().flatMap(e -> e.getPorts().stream())
                .map(p -> p.getPort().getIntVal()).distinct().sorted().toList();
        assertEquals(List.of(53, 443), egressPorts);
        assertEquals("true", np.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                .get("sluice.dev/client"));
        ConfigMap config = (ConfigMap) objects.stream().filter(ConfigMap.class::isInstance).findFirst().orElseThrow();
        assertTrue(config.getData().containsKey("models.yaml"), "the ConfigMap carries the routing file");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void noOverlayShipsAMasterKeyTheOperatorDidNotCreate(String dir) throws Exception {
        for (Object o : validate(render(dir))) {
            if (o instanceof Secret secret) {
                for (Map<String, String> values : java.util.Arrays.asList(secret.getStringData(), secret.getData())) {
                    assertTrue(values == null || !values.containsKey("SLUICE_MASTER_KEY"),
                            dir + " ships a master key in Secret " + secret.getMetadata().getName());
                }
            }
            if (o instanceof Deployment d) {
                // the key comes from the Secret the operator creates (kubectl create secret), never from a value
                for (Container c : Stream.concat(d.getSpec().getTemplate().getSpec().getContainers().stream(),
                        d.getSpec().getTemplate().getSpec().getInitContainers().stream()).toList()) {
                    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                        assertFalse(e.getName().equals("SLUICE_MASTER_KEY") && e.getValue() != null,
                                dir + " sets the master key to a literal value");
                    }
                }
            }
        }
    }

    @Test
    void theHaOverlayRunsSeveralReplicasOnTheSharedStore() throws Exception {
        List<Object> objects = validate(render("overlays/ha"));
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        assertTrue(d.getSpec().getReplicas() >= 3);
        assertTrue(objects.stream().anyMatch(HorizontalPodAutoscaler.class::isInstance));
        assertTrue(objects.stream().anyMatch(PodDisruptionBudget.class::isInstance));
        // the store is shared: no pod keeps state of its own, so no claim that only one pod could mount
        assertTrue(objects.stream().noneMatch(PersistentVolumeClaim.class::isInstance));
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .allMatch(v -> v.getPersistentVolumeClaim() == null));
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                .anyMatch(e -> e.getSecretRef() != null && e.getSecretRef().getName().equals("sluice-store")));
        Secret store = (Secret) objects.stream().filter(o -> o instanceof Secret s
                && s.getMetadata().getName().equals("sluice-store")).findFirst().orElseThrow();
        assertTrue(store.getStringData().containsKey("SLUICE_DATABASE_URL"));
        assertTrue(store.getStringData().containsKey("SLUICE_REDIS_URL"));
    }

    @Test
    void theSidecarOverlayKeepsSluiceOnTheAppsLocalhostAndStopsItAfterTheApp() throws Exception {
        List<Object> objects = validate(render("overlays/sidecar"));
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertEquals(List.of("app"), pod.getContainers().stream().map(Container::getName).toList());
        Container app = pod.getContainers().get(0);
        assertTrue(app.getEnv().stream().anyMatch(e -> e.getName().equals("OPENAI_BASE_URL")
                && e.getValue().equals("http://localhost:8080/v1")));

        // a native sidecar: started before the app, sent SIGTERM only after the app has exited
        Container sluice = pod.getInitContainers().stream().filter(c -> c.getName().equals("sluice")).findFirst()
                .orElseThrow(() -> new AssertionError("Sluice is a native sidecar (an init container)"));
        assertEquals("Always", sluice.getRestartPolicy());
        Duration drain = Duration.parse("PT" + sluice.getEnv().stream()
                .filter(e -> e.getName().equals("QUARKUS_SHUTDOWN_TIMEOUT")).map(EnvVar::getValue).findFirst()
                .orElseThrow().toUpperCase());
        assertTrue(pod.getTerminationGracePeriodSeconds() > drain.toSeconds(),
                "the grace period leaves the app time to stop before Sluice drains");

        // nothing outside the pod reaches Sluice: ingress is admitted to the app's own ports only
        Set<Integer> appPorts = new TreeSet<>(app.getPorts().stream().map(ContainerPort::getContainerPort).toList());
        int sluicePort = sluice.getPorts().get(0).getContainerPort();
        NetworkPolicy np = objects.stream().filter(o -> o instanceof NetworkPolicy p
                        && "example-app".equals(p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
                .map(NetworkPolicy.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("a NetworkPolicy selects the app's pods"));
        assertTrue(np.getSpec().getPolicyTypes().contains("Ingress"));
        Set<Integer> admitted = new TreeSet<>();
        np.getSpec().getIngress().forEach(rule -> {
            assertTrue(rule.getPorts() != null && !rule.getPorts().isEmpty(), "every ingress rule names its ports");
            rule.getPorts().stream().map(NetworkPolicyPort::getPort).forEach(p -> admitted.add(p.getIntVal()));
        });
        assertEquals(appPorts, admitted);
        assertFalse(admitted.contains(sluicePort), "Sluice's port " + sluicePort + " is closed to other pods");
    }

    @Test
    void theJvmOverlayRunsTheJvmImageWithMemorySizedForIt() throws Exception {
        List<Object> objects = validate(render("overlays/jvm"));
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        Container sluice = sluice(d.getSpec().getTemplate().getSpec());
        assertTrue(sluice.getImage().endsWith("-jvm"), sluice.getImage());

        long limit = Quantity.getAmountInBytes(sluice.getResources().getLimits().get("memory")).longValue();
        long request = Quantity.getAmountInBytes(sluice.getResources().getRequests().get("memory")).longValue();
        // the image's entrypoint puts JAVA_OPTS_APPEND after its jvm.options, so that the overlay's heap wins
        String javaOptions = sluice.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS_APPEND"))
                .map(EnvVar::getValue).findFirst().orElseThrow(() -> new AssertionError("the heap is sized"));
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(javaOptions);
        assertTrue(xmx.find(), javaOptions);
        long heap = Long.parseLong(xmx.group(1)) << 20;
        assertTrue(request >= 256L << 20, "the request covers the JVM's resident memory at rest (about 200 MB)");
        assertTrue(limit >= 650L << 20, "the limit covers the JVM's measured peak under load (650 MB)");
        assertTrue(heap + (256L << 20) <= limit, "heap plus the JVM's own memory fits under the limit");
        assertTrue(sluice.getStartupProbe().getFailureThreshold() * sluice.getStartupProbe().getPeriodSeconds() >= 60,
                "the JVM is given time to start");
        // everything else is the base's: one replica on the store's volume
        assertEquals(1, d.getSpec().getReplicas());
        assertTrue(objects.stream().anyMatch(o -> o instanceof ConfigMap c && c.getData().containsKey("models.yaml")));
    }
}
