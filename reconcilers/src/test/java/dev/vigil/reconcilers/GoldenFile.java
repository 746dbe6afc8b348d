package dev.vigil.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden-file check every renderer test makes: what was rendered equals the committed file.
 * After a deliberate change, {@code mvn -pl reconcilers -am verify -Dvigil.updateGolden=true}
 * rewrites the files; review the diff.
 */
public final class GoldenFile {
  private GoldenFile() {}

  public static void assertMatches(Path golden, String rendered) throws IOException {
    if (Boolean.getBoolean("vigil.updateGolden")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    assertThat(golden).exists();
    assertThat(Files.readString(golden))
        .as(
            "%s is stale: run mvn -pl reconcilers -am verify -Dvigil.updateGolden=true and review"
                + " the diff",
            golden)
        .isEqualTo(rendered);
  }
}
