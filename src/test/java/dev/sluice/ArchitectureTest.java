package dev.sluice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the package structure docs/architecture.md describes, from the compiled classes: packages depend on each
 * other without cycles, and the vocabulary packages at the bottom depend on nothing of Sluice's above them.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void read() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("dev.sluice.(**)").should().beFreeOfCycles().check(main);
    }

    /**
     * The same rule on the sources: the compiled classes do not show a dependency that is only a constant (javac
     * copies a {@code static final String} into the class that reads it), so a package reading another's header
     * name would close a loop the rule above cannot see.
     */
    @Test
    void noPackageDependsOnItselfThroughOthersInTheSourcesEither() throws IOException {
        Pattern packageLine = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
        Pattern reference = Pattern.compile("\\bdev\\.sluice\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");
        Map<String, Map<String, String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = packageLine.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                Map<String, String> out = uses.computeIfAbsent(from, k -> new TreeMap<>());
                Matcher ref = reference.matcher(text);
                while (ref.find()) {
                    String to = "dev.sluice." + ref.group(1);
                    if (!to.equals(from)) {
                        out.putIfAbsent(to, file.getFileName().toString());
                    }
                }
            }
        }
        for (String start : uses.keySet()) {
            List<String> loop = loopBack(start, start, uses, new ArrayList<>(), new HashSet<>());
            assertTrue(loop == null, () -> "package cycle: " + String.join(" -> ", loop));
        }
    }

    /** A path of uses from {@code at} back to {@code start}, each step naming the file that makes it; else null. */
    private static List<String> loopBack(String start, String at, Map<String, Map<String, String>> uses,
                                         List<String> path, Set<String> seen) {
        for (Map.Entry<String, String> use : uses.getOrDefault(at, Map.of()).entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(at + " (" + use.getValue() + ")");
            if (use.getKey().equals(start)) {
                next.add(start);
                return next;
            }
            if (seen.add(use.getKey())) {
                List<String> found = loopBack(start, use.getKey(), uses, next, seen);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    void theOpenAiVocabularyDependsOnNothingOfSluices() {
        noClasses().that().resideInAPackage("dev.sluice.openai..").should()
                .dependOnClassesThat(resideInAPackage("dev.sluice..").and(not(resideInAPackage("dev.sluice.openai.."))))
                .because("every other package stands on the OpenAI vocabulary, which must stand on nothing")
                .check(main);
    }

    @Test
    void theLeavesDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("dev.sluice.money..", "dev.sluice.secrets..").should()
                .dependOnClassesThat(resideInAPackage("dev.sluice..").and(not(resideInAnyPackage(
                        "dev.sluice.money..", "dev.sluice.secrets..", "dev.sluice.openai.."))))
                .because("money and secrets are leaves every feature may use").check(main);
    }

    @Test
    void onlyTheEdgeAndTheIngressProtocolsServeHttpRoutes() {
        noClasses().that().resideInAnyPackage("dev.sluice.store..", "dev.sluice.provider..", "dev.sluice.routing..",
                        "dev.sluice.pipeline..", "dev.sluice.openai..", "dev.sluice.tokens..", "dev.sluice.money..")
                .should().dependOnClassesThat().resideInAPackage("dev.sluice.api..")
                .because("the core and the vocabulary never reach up to the HTTP edge").check(main);
    }
}
