package architecture;

import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import emr.ScriptUploader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.InputIdentity;
import source.HttpSourceMemory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The input's identity, its SHA-256, is computed in one class, {@code run.InputIdentity}, and read from the exchange
 * everywhere else: no other class hashes a stream of bytes, and only two others ask for a digest at all, of values
 * that are not inputs (a polled URL, kept as a state key without its token; the Spark job's script, compared with the
 * copy on S3). A digest provider (a {@code MessageDigestSpi}) implements digests for others and is not counted.
 */
class InputIdentityIsComputedInOneClassTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PackageDependenciesTest.PACKAGES);
    }

    @Test
    void onlyInputIdentityHashesBytesAsTheyAreRead() {
        noClasses().that().doNotBelongToAnyOf(InputIdentity.class).and().areNotAssignableTo(MessageDigestSpi.class)
                .should().callMethodWhere(onMessageDigest("update"))
                .orShould().callConstructorWhere(of(DigestInputStream.class))
                .orShould().callConstructorWhere(of(DigestOutputStream.class))
                .check(main);
    }

    @Test
    void noOtherClassHashesAnInput() {
        noClasses().that().doNotBelongToAnyOf(InputIdentity.class, HttpSourceMemory.class, ScriptUploader.class)
                .and().areNotAssignableTo(MessageDigestSpi.class)
                .should().callMethodWhere(onMessageDigest("getInstance"))
                .check(main);
    }

    private static DescribedPredicate<JavaCall<?>> onMessageDigest(String method) {
        return DescribedPredicate.describe("MessageDigest." + method, call ->
                call.getTargetOwner().isAssignableTo(MessageDigest.class) && call.getName().equals(method));
    }

    private static DescribedPredicate<JavaCall<?>> of(Class<?> type) {
        return DescribedPredicate.describe("a constructor of " + type.getSimpleName(), call ->
                call.getTargetOwner().isAssignableTo(type));
    }
}
