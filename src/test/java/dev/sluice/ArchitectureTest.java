package dev.sluice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
