package org.ionloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The virtual lab is a test bench: production code never depends on it. The simulator, the
 * benchmarks and the CLI commands that run them (demo, sim, bench, serve's virtual lab) live in
 * src/lab/java and the lab jar; a product class that names one of them fails the build.
 */
class ArchitectureTest {
  static final JavaClasses PRODUCT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.ionloop");

  /**
   * The lab classes (src/lab/java, the lab jar): the virtual lab, the benchmarks, and the CLI
   * commands that run them. The pom's jar executions name the same set.
   */
  static final DescribedPredicate<JavaClass> LAB = JavaClass.Predicates.resideInAnyPackage("org.ionloop.sim..",
      "org.ionloop.planner.bench..", "org.ionloop.proposer.bench..")
      .or(com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("org\\.ionloop\\.cli\\.(DemoCommand|SimCommand|SimInstrumentCommand"
          + "|BenchCommand|BenchOutput|LabBenchCommand|PlannerBenchCommand|ProposerBenchCommand|InstrumentBench|VirtualLabForServe)(\\$.*)?"))
      .or(com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("org\\.ionloop\\.instruments\\.modbus\\.ModbusPollBench(\\$.*)?"));

  @Test
  void productionCodeDoesNotDependOnTheLabClasses() {
    noClasses().that(DescribedPredicate.not(LAB))
        .should().dependOnClassesThat(LAB)
        .because("the product jar carries no virtual lab, no demo broker and no benchmarks; the server finds"
            + " the virtual lab by name (SimulatedLab) and the CLI its commands (Main.LAB_COMMANDS) only when present")
        .check(PRODUCT);
  }

  @Test
  void onlyTheClusterPackageSpeaksAkkaCluster() {
    // One place decides what crosses nodes and how a node joins, leaves and is taken out; the
    // campaign, protocol and driver actors stay the same on one machine and on many.
    noClasses().that().resideOutsideOfPackage("org.ionloop.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("akka.cluster..")
        .because("campaigns run unchanged in one JVM; org.ionloop.cluster hosts them on a cluster")
        .check(PRODUCT);
  }

  @Test
  void everyClassUnderSrcLabIsALabClass() throws Exception {
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/lab/java"))) {
      for (var f : (Iterable<java.nio.file.Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String name = java.nio.file.Path.of("src/lab/java").relativize(f).toString().replace('/', '.')
            .replaceFirst("\\.java$", "");
        org.junit.jupiter.api.Assertions.assertTrue(LAB.test(PRODUCT.get(name)),
            name + " is in src/lab but not among the lab classes the pom leaves out of the product jar");
      }
    }
  }

  @Test
  void theLabCommandsAreNamedAsTheyAre() throws Exception {
    for (String name : org.ionloop.cli.Main.LAB_COMMANDS) {
      Class.forName(name); // the reflective names in Main still exist
    }
  }
}
