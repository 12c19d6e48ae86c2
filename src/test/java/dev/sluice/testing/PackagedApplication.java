package dev.sluice.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the build packaged, as Quarkus records it in {@code target/quarkus-artifact.properties} ({@code type=jar} with
 * {@code path=quarkus-app/quarkus-run.jar}, or {@code type=native} with {@code path=<name>-runner}), and the command
 * that starts it. Tests that start the application themselves go through this, so that {@code ./mvnw verify -Dnative}
 * runs them against the native executable rather than a jar left over from an earlier build.
 */
public record PackagedApplication(Kind kind, Path artifact) {

    public enum Kind {
        /** The JVM application: {@code java [jvm options] -Dk=v ... -jar <artifact>}. */
        JAR,
        /** The native executable: {@code <artifact> -Dk=v ...} (JVM options do not apply). */
        NATIVE
    }

    public static final String METADATA_FILE = "quarkus-artifact.properties";

    /** What this build packaged ({@code target/}). */
    public static PackagedApplication current() {
        return in(Path.of("target"));
    }

    /** What the build whose output directory is {@code buildDir} packaged. */
    public static PackagedApplication in(Path buildDir) {
        Path metadata = buildDir.resolve(METADATA_FILE);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(metadata)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(metadata + " is missing: package the application first (./mvnw verify "
                    + "runs these tests after packaging)");
        } catch (IOException e) {
            throw new IllegalStateException(metadata + " cannot be read: " + e.getMessage(), e);
        }
        String type = p.getProperty("type");
        String path = p.getProperty("path");
        if (type == null || path == null) {
            throw new IllegalStateException(metadata + " names no type or path: " + p);
        }
        Kind kind = switch (type) {
            case "jar" -> Kind.JAR;
            case "native" -> Kind.NATIVE;
            default -> throw new IllegalStateException("the build packaged a '" + type + "' artifact (" + path
                    + "); these tests start a jar or a native executable: run them with ./mvnw verify (JVM) or "
                    + "./mvnw verify -Dnative");
        };
        Path artifact = buildDir.resolve(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(METADATA_FILE + " names " + artifact + ", which does not exist");
        }
        if (kind == Kind.NATIVE && !Files.isExecutable(artifact)) {
            throw new IllegalStateException("the native executable " + artifact + " is not executable");
        }
        return new PackagedApplication(kind, artifact);
    }

    /**
     * The command line that starts the application with these settings as system properties; {@code jvmOptions}
     * (heap size and the like) are used for the jar only.
     */
    public List<String> command(List<String> jvmOptions, Map<String, String> settings) {
        List<String> command = new ArrayList<>();
        if (kind == Kind.JAR) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
        } else {
            command.add(artifact.toString());
        }
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (kind == Kind.JAR) {
            command.add("-jar");
            command.add(artifact.toString());
        }
        return command;
    }
}
