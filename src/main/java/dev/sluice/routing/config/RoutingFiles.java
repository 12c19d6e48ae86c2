package dev.sluice.routing.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.secrets.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the routing files named by {@code sluice.routing.config-file}: each is Sluice's {@code models.yaml} or a
 * LiteLLM {@code config.yaml}, told apart by its content, and all are merged into one {@link RoutingSpec}. A
 * group, alias or deployment id declared twice is an error. Blocking (file I/O): call it off the event loop.
 */
public final class RoutingFiles {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RoutingFiles() {
    }

    /** The files' contents, read once: what is parsed, and a fingerprint to notice changes. */
    public record Contents(List<Path> files, List<byte[]> bytes, String fingerprint) {
    }

    public static Contents read(List<Path> files) {
        return read(files, "routing file");
    }

    /**
     * Reads files and fingerprints them together: the watch mechanism of every file Sluice reloads on change
     * (routing files, the model catalog).
     *
     * @param what what the files are, for the messages
     */
    public static Contents read(List<Path> files, String what) {
        List<byte[]> all = new ArrayList<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path file : files) {
            try {
                byte[] b = Files.readAllBytes(file);
                all.add(b);
                digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(b);
            } catch (NoSuchFileException e) {
                throw new RoutingFileException(file + ": the " + what + " does not exist");
            } catch (IOException e) {
                throw new RoutingFileException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new Contents(List.copyOf(files), all, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * @param providers what the LiteLLM importer needs to map its provider prefixes
     * @param lookup    values of {@code ${NAME}} references: environment, then Sluice's configuration
     * @param env       the process environment, for LiteLLM's {@code os.environ/NAME}
     */
    public static RoutingSpec parse(Contents contents, LiteLlmFile.Providers providers,
                                    Function<String, Optional<String>> lookup, Function<String, Optional<String>> env) {
        List<RoutingSpec> specs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < contents.files().size(); i++) {
            String source = contents.files().get(i).toString();
            try {
                JsonNode root = YAML.readTree(contents.bytes().get(i));
                if (root == null || root.isMissingNode() || root.isNull()) {
                    specs.add(emptyFrom(source));
                } else if (LiteLlmFile.recognises(root)) {
                    specs.add(LiteLlmFile.parse(root, source, providers, env));
                } else if (ModelsFile.recognises(root)) {
                    specs.add(ModelsFile.parse(root, source, lookup));
                } else {
                    problems.add(source + ": neither a Sluice routing file (with 'groups:') nor a LiteLLM config "
                            + "(with 'model_list:')");
                }
            } catch (RoutingFileException e) {
                problems.addAll(e.problems());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                var loc = e.getLocation();
                problems.add(source + ": not valid YAML" + (loc == null ? "" : " (line " + loc.getLineNr()
                        + ", column " + loc.getColumnNr() + ")") + ": " + Secrets.redact(firstLine(e.getOriginalMessage())));
            } catch (IOException e) {
                problems.add(source + ": cannot be read: " + Secrets.redact(firstLine(e.getMessage())));
            }
        }
        if (!problems.isEmpty()) {
            throw new RoutingFileException(problems);
        }
        return merge(specs);
    }

    /**
     * Merges the files' specs. A file's {@code settings:} (LiteLLM: router_settings / litellm_settings) and its
     * default fallbacks apply to the groups declared in that file; they are folded into each group here, so the
     * merged spec has none of its own.
     */
    static RoutingSpec merge(List<RoutingSpec> specs) {
        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> hidden = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (RoutingSpec s : specs) {
            for (GroupSpec g : s.groups().values()) {
                GroupSpec folded = new GroupSpec(g.name(), g.settings().over(s.settings()),
                        g.fallbacks().isEmpty() ? s.defaultFallbacks() : g.fallbacks(), g.contextWindowFallbacks(),
                        g.deployments());
                if (groups.putIfAbsent(g.name(), folded) != null) {
                    problems.add(String.join(", ", s.sources()) + ": the model group '" + g.name()
                            + "' is declared in more than one file");
                }
                for (DeploymentSpec d : g.deployments()) {
                    if (!ids.add(d.id())) {
                        problems.add(d.source() + ": the deployment id '" + d.id() + "' is used more than once; "
                                + "give each deployment its own id");
                    }
                }
            }
            s.aliases().forEach((alias, target) -> {
                if (aliases.putIfAbsent(alias, target) != null) {
                    problems.add(String.join(", ", s.sources()) + ": the alias '" + alias
                            + "' is declared more than once");
                }
            });
            hidden.addAll(s.hiddenAliases());
            warnings.addAll(s.warnings());
            sources.addAll(s.sources());
        }
        aliases.forEach((alias, target) -> {
            if (groups.containsKey(alias)) {
                problems.add("the alias '" + alias + "' is also the name of a model group");
            } else if (!groups.containsKey(target)) {
                problems.add("the alias '" + alias + "' points to '" + target + "', which is not a model group");
            }
        });
        if (!problems.isEmpty()) {
            throw new RoutingFileException(problems);
        }
        return new RoutingSpec(SettingsOverrides.NONE, List.of(), groups, aliases, hidden, warnings, sources);
    }

    private static RoutingSpec emptyFrom(String source) {
        return new RoutingSpec(SettingsOverrides.NONE, List.of(), Map.of(), Map.of(), List.of(), List.of(),
                List.of(source));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
