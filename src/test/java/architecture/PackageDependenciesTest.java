package architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of the main code depend on each other without cycles; {@code core} (the words every stage shares)
 * imports nothing of the project, and {@code app} (the wiring) is imported by nothing. The web UI ({@code ui}) is known
 * to the wiring alone, and shows runs and tables without reaching into the stages that make them.
 */
class PackageDependenciesTest {

    static final String[] PACKAGES = {"app", "athena", "aws", "config", "convert", "core", "emr", "lake", "logging",
        "observe", "query", "routes", "run", "s3", "source", "spark", "ui"};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PACKAGES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void coreImportsNothingOfTheProject() {
        String[] others = java.util.Arrays.stream(PACKAGES).filter(p -> !p.equals("core")).map(p -> p + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("core..").should().dependOnClassesThat().resideInAnyPackage(others)
                .check(main);
    }

    @Test
    void nothingImportsTheWiring() {
        noClasses().that().resideOutsideOfPackage("app..").should().dependOnClassesThat().resideInAPackage("app..")
                .check(main);
    }

    @Test
    void onlyTheWiringKnowsTheWebUi() {
        noClasses().that().resideOutsideOfPackages("app..", "ui..").should().dependOnClassesThat()
                .resideInAPackage("ui..").check(main);
    }

    @Test
    void theWebUiReachesIntoNoStage() {
        noClasses().that().resideInAPackage("ui..").should().dependOnClassesThat().resideInAnyPackage("athena..",
                "aws..", "convert..", "emr..", "query..", "s3..", "source..", "spark..").check(main);
    }
}
