package io.wxpayfn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the README's "Project layout", checked on the compiled main classes, so a change that breaks
 * the layering fails {@code mvn verify}. Each rule is written for a root package, and the same rules are evaluated
 * against {@code io.wxpayfn.archfixture}, which holds one deliberate violation of each: a rule that stopped catching
 * its violation (a typo in a package name, say) fails {@link #everyRuleCatchesItsDeliberateViolation()}.
 */
class LayeringTest {

    private static final String ROOT = "io.wxpayfn";
    private static final String FIXTURE = "io.wxpayfn.archfixture";

    /** Every rule, for the classes under {@code root}. */
    private static final List<Function<String, ArchRule>> RULES = List.of(
            LayeringTest::domainImportsOnlyJava,
            LayeringTest::reconcileImportsOnlyJavaAndTheDomain,
            LayeringTest::onlyTheWeChatAdapterTouchesTheSdk,
            LayeringTest::functionsReachAdaptersOnlyThroughPorts);

    static ArchRule domainImportsOnlyJava(String root) {
        return classes()
                .that()
                .resideInAPackage(root + ".order..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", root + ".order..")
                .because("the domain (Order, OrderService, the ports) must not know Quarkus, the SDK or a driver");
    }

    static ArchRule reconcileImportsOnlyJavaAndTheDomain(String root) {
        return classes()
                .that()
                .resideInAPackage(root + ".reconcile..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", root + ".order..", root + ".reconcile..")
                .because("the reconciler works on the domain's ports and a parsed bill, not on adapters");
    }

    static ArchRule onlyTheWeChatAdapterTouchesTheSdk(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .and()
                .resideOutsideOfPackage(root + ".wechat..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.wechat.pay.java..", "okhttp3..", "com.google.gson..")
                .because("wechat/ is the one adapter of wechatpay-java (with its OkHttp and Gson)");
    }

    static ArchRule functionsReachAdaptersOnlyThroughPorts(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".function..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(root + ".store..", root + ".wechat..")
                .because("functions call the domain's ports (OrderStore, PaymentGateway, NotificationVerification);"
                        + " config/ wires the adapters behind them");
    }

    @Test
    void theMainClassesKeepEveryLayeringRule() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertTrue(main.contain("io.wxpayfn.order.OrderService"), "the main classes were imported");
        assertAll(RULES.stream().map(rule -> () -> rule.apply(ROOT).check(main)));
    }

    @Test
    void everyRuleCatchesItsDeliberateViolation() {
        JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
        assertAll(RULES.stream().map(rule -> () -> {
            ArchRule ruleForFixture = rule.apply(FIXTURE);
            assertTrue(
                    ruleForFixture.evaluate(fixture).hasViolation(),
                    "no violation found by: " + ruleForFixture.getDescription());
        }));
    }
}
