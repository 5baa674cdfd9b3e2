package org.ionloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The virtual lab is a test bench: production code never depends on it. Only the simulator
 * itself, the benchmarks and the CLI commands that run a simulated lab on purpose (demo, sim,
 * bench, serve --simulated-lab) may; a class anywhere else that names a {@code sim} class fails
 * the build.
 */
class ArchitectureTest {
  static final JavaClasses PRODUCT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.ionloop");

  @Test
  void productionCodeDoesNotDependOnTheVirtualLab() {
    noClasses().that().resideOutsideOfPackages("org.ionloop.sim..", "org.ionloop..bench..")
        .and().doNotHaveFullyQualifiedName("org.ionloop.cli.DemoCommand")
        .and().doNotHaveFullyQualifiedName("org.ionloop.cli.SimCommand")
        .and().haveNameNotMatching("org\\.ionloop\\.cli\\.SimCommand\\$.*")
        .and().doNotHaveFullyQualifiedName("org.ionloop.cli.SimInstrumentCommand")
        .and().haveNameNotMatching("org\\.ionloop\\.cli\\..*Bench.*")
        .and().doNotHaveFullyQualifiedName("org.ionloop.cli.ServeCommand")
        .should().dependOnClassesThat().resideInAPackage("org.ionloop.sim..")
        .because("the virtual lab is a test bench for the demo, the tests and the benchmarks (DESIGN §8)")
        .check(PRODUCT);
  }
}
