package dev.sluice.deploy;

import dev.sluice.api.ModelsResource;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For a native executable Quarkus initialises every class when the image is built, so a static initialiser runs on
 * the build machine, once: a clock read there is the build's time forever, a {@code Random} is refused by GraalVM
 * (or, worse, seeded identically in every process), an environment variable or file is the build machine's, a
 * socket is dead. This test reads the bytecode of every Sluice class and follows each static initialiser (and the
 * Sluice methods and constructors it calls) looking for such calls, so that none creeps back in.
 */
class NativeReadinessTest {

    /** Calls that must not run when a class is initialised: owner, then method names ("*" for any). */
    private static final Map<String, Set<String>> FORBIDDEN_CALLS = Map.ofEntries(
            Map.entry("java/lang/System", Set.of("currentTimeMillis", "nanoTime", "getenv", "getProperty",
                    "getProperties")),
            Map.entry("java/time/Instant", Set.of("now")),
            Map.entry("java/time/LocalDate", Set.of("now")),
            Map.entry("java/time/LocalDateTime", Set.of("now")),
            Map.entry("java/time/LocalTime", Set.of("now")),
            Map.entry("java/time/OffsetDateTime", Set.of("now")),
            Map.entry("java/time/ZonedDateTime", Set.of("now")),
            Map.entry("java/time/Clock", Set.of("systemUTC", "systemDefaultZone", "system")),
            Map.entry("java/util/UUID", Set.of("randomUUID")),
            Map.entry("java/security/SecureRandom", Set.of("getInstance", "getInstanceStrong")),
            Map.entry("java/net/InetAddress", Set.of("getByName", "getAllByName", "getLocalHost")),
            Map.entry("java/nio/file/Files", Set.of("*")),
            Map.entry("java/nio/channels/SocketChannel", Set.of("open")),
            Map.entry("java/nio/channels/ServerSocketChannel", Set.of("open")),
            Map.entry("java/lang/Thread", Set.of("start")),
            Map.entry("java/util/concurrent/Executors", Set.of("*")));

    /** Types that must not be instantiated when a class is initialised. */
    private static final Set<String> FORBIDDEN_NEW = Set.of("java/util/Random", "java/security/SecureRandom",
            "java/util/SplittableRandom", "java/net/Socket", "java/net/ServerSocket", "java/net/DatagramSocket",
            "java/io/FileInputStream", "java/io/FileReader", "java/io/RandomAccessFile", "java/lang/Thread");

    @Test
    void noSluiceClassReadsTheClockRandomnessEnvironmentFilesOrNetworkWhenInitialised() throws Exception {
        Path classes = Path.of(ModelsResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Bytecode code = Bytecode.read(classes);
        assertTrue(code.classes.size() > 100, "the application's classes were found under " + classes);
        assertEquals(List.of(), code.staticInitialisationProblems(),
                "static initialisers that would run at native image build");
    }

    /** The detector itself: a class like the ones this test guards against is caught. */
    @Test
    void theCheckCatchesAClockReadAndARandomInAStaticInitialiser() throws Exception {
        Bytecode code = Bytecode.read(testClasses(), "dev/sluice/deploy/NativeReadinessTest$");
        List<String> problems = code.staticInitialisationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("FrozenClock") && p.contains("currentTimeMillis")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("FrozenRandom") && p.contains("new java/security/SecureRandom")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("IndirectEnvironment") && p.contains("getenv")),
                "a call made through a helper method is followed: " + problems);
        assertTrue(problems.stream().noneMatch(p -> p.contains("Harmless")), problems.toString());
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(NativeReadinessTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    // Examples for the detector's own test (never used otherwise).
    static final class FrozenClock {
        static final long STARTED = System.currentTimeMillis();
    }

    static final class FrozenRandom {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static final class IndirectEnvironment {
        static final String HOME = home();

        private static String home() {
            return System.getenv("HOME");
        }
    }

    static final class Harmless {
        static final List<String> NAMES = List.of("a", "b");
        static final java.util.function.LongSupplier CLOCK = System::currentTimeMillis; // not called at init
    }

    /** Which methods each class has, and what each one calls or instantiates. */
    private static final class Bytecode {
        /** "owner.name desc" of every method, with its calls ("owner.name desc") and its "new owner" sites. */
        final Map<String, List<String>> methods = new HashMap<>();
        final Set<String> classes = new HashSet<>();

        static Bytecode read(Path root) throws IOException {
            return read(root, "dev/sluice/");
        }

        static Bytecode read(Path root, String prefix) throws IOException {
            Bytecode code = new Bytecode();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(file).toString().replace('\\', '/');
                    if (name.startsWith(prefix)) {
                        try (InputStream in = Files.newInputStream(file)) {
                            code.add(new ClassReader(in));
                        }
                    }
                }
            }
            return code;
        }

        private void add(ClassReader reader) {
            String owner = reader.getClassName();
            classes.add(owner);
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    List<String> sites = new ArrayList<>();
                    methods.put(owner + "." + name + " " + descriptor, sites);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String callOwner, String callName, String callDesc,
                                                    boolean isInterface) {
                            sites.add(callOwner + "." + callName + " " + callDesc);
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            if (opcode == Opcodes.NEW) {
                                sites.add("new " + type);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }

        /** Every forbidden call reachable from a static initialiser through Sluice's own methods. */
        List<String> staticInitialisationProblems() {
            List<String> problems = new ArrayList<>();
            for (String owner : classes.stream().sorted().toList()) {
                String clinit = owner + ".<clinit> ()V";
                if (!methods.containsKey(clinit)) {
                    continue;
                }
                Deque<String> todo = new ArrayDeque<>(List.of(clinit));
                Set<String> seen = new HashSet<>();
                while (!todo.isEmpty()) {
                    String method = todo.pop();
                    if (!seen.add(method)) {
                        continue;
                    }
                    for (String site : methods.getOrDefault(method, List.of())) {
                        String problem = forbidden(site);
                        if (problem != null) {
                            problems.add(owner.replace('/', '.') + " (static initialiser, via " + method + "): "
                                    + problem);
                        } else if (!site.startsWith("new ") && methods.containsKey(site)) {
                            todo.push(site); // one of ours: follow it
                        }
                    }
                }
            }
            return problems;
        }

        private static String forbidden(String site) {
            if (site.startsWith("new ")) {
                return FORBIDDEN_NEW.contains(site.substring(4)) ? site : null;
            }
            String owner = site.substring(0, site.indexOf('.'));
            String name = site.substring(site.indexOf('.') + 1, site.indexOf(' '));
            Set<String> names = FORBIDDEN_CALLS.get(owner);
            return names != null && (names.contains("*") || names.contains(name)) ? site : null;
        }
    }
}
