package dev.vigil.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import rules of ARCHITECTURE.md, checked on the compiled classes (so a name written out in
 * full counts as much as an import): the modules one way, operator → reconcilers → crds; no two
 * packages that need each other, directly or around a circle; and a kind's package needed by
 * nothing but the operator, so what kinds share sits below them all.
 */
class ArchitectureTest {
  static final JavaClasses VIGIL =
      new ClassFileImporter()
          .withImportOption(ArchitectureTest::isMainCode)
          .importPackages("dev.vigil");

  /**
   * Main code only: the tests of this module are in test-classes, those of reconcilers in its test
   * jar, and a test may reach into any package it checks.
   */
  static boolean isMainCode(Location location) {
    return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
        && !location.contains("-tests.jar");
  }

  /** One package per kind: its reconciler and the objects it owns. */
  static final List<String> KINDS =
      List.of(
          "monitoringstack",
          "servicemonitor",
          "podmonitor",
          "alertpolicy",
          "tracingpipeline",
          "logpipeline",
          "instrumentation");

  /** The engines and the kernel: everything in reconcilers below the kinds and what they share. */
  static final List<String> BELOW_THE_KINDS =
      List.of(
          "prometheus",
          "alertmanager",
          "grafana",
          "collector",
          "jaeger",
          "victorialogs",
          "injection",
          "rules",
          "discovery",
          "sharding",
          "relabel",
          "selection",
          "scope",
          "state",
          "config",
          "references",
          "yaml",
          "objects",
          "dependents",
          "httpclient",
          "digest",
          "promql",
          "goregex");

  /** What the kinds share, above the engines. */
  static final List<String> SHARED_BY_KINDS = List.of("monitors", "status", "validation");

  /** Each Java package on its own: a package and its subpackage are two. */
  static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          return name.startsWith("dev.vigil.")
              ? SliceIdentifier.of(name)
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "Vigil's packages";
        }
      };

  @Test
  void theModulesDependOneWay() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vigil.reconcilers..", "dev.vigil.operator..")
        .check(VIGIL);
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.reconcilers..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.vigil.operator..")
        .check(VIGIL);
  }

  @Test
  void noPackagesNeedEachOtherInACircle() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(VIGIL);
  }

  @Test
  void onlyTheOperatorNeedsAKindsPackage() {
    for (String kind : KINDS) {
      String own = "dev.vigil.reconcilers." + kind + "..";
      noClasses()
          .that()
          .resideInAPackage("dev.vigil.reconcilers..")
          .and()
          .resideOutsideOfPackage(own)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(own)
          .because("what several kinds share lives below every kind (ARCHITECTURE.md)")
          .check(VIGIL);
    }
  }

  @Test
  void enginesAndTheKernelReachNothingAboveThem() {
    List<String> above = new ArrayList<>();
    KINDS.forEach(kind -> above.add("dev.vigil.reconcilers." + kind + ".."));
    SHARED_BY_KINDS.forEach(pkg -> above.add("dev.vigil.reconcilers." + pkg + ".."));
    noClasses()
        .that()
        .resideInAnyPackage(
            BELOW_THE_KINDS.stream()
                .map(p -> "dev.vigil.reconcilers." + p + "..")
                .toArray(String[]::new))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(above.toArray(String[]::new))
        .because("an engine returns problems as values and the kind reports them (ARCHITECTURE.md)")
        .check(VIGIL);
  }

  @Test
  void everyReconcilersPackageHasItsLayer() {
    Set<String> placed = new TreeSet<>();
    Stream.of(KINDS, SHARED_BY_KINDS, BELOW_THE_KINDS)
        .flatMap(List::stream)
        .forEach(p -> placed.add("dev.vigil.reconcilers." + p));
    Set<String> packages = new TreeSet<>();
    VIGIL.stream()
        .map(JavaClass::getPackageName)
        .filter(name -> name.startsWith("dev.vigil.reconcilers."))
        .forEach(packages::add);
    assertThat(placed)
        .as("a new reconcilers package gets its layer here and in ARCHITECTURE.md")
        .isEqualTo(packages);
  }
}
