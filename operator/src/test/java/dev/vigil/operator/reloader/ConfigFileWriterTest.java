package dev.vigil.operator.reloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWriterTest {
  final ConfigFileWriter writer = new ConfigFileWriter();
  @TempDir Path dir;

  @Test
  void writesANewFileReadableByOthersAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("config_out/prometheus.yml");
    assertThat(writer.write(file, bytes("global: {}\n"))).isTrue();
    assertThat(file).hasContent("global: {}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    assertThat(list(file.getParent())).containsExactly(file);
  }

  @Test
  void doesNotRewriteAFileThatAlreadyHoldsTheContent() throws IOException {
    Path file = dir.resolve("prometheus.yml");
    writer.write(file, bytes("a: 1\n"));
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, old);
    Object inode = Files.readAttributes(file, "unix:ino").get("ino");

    assertThat(writer.write(file, bytes("a: 1\n"))).isFalse();
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
    assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(inode);
  }

  @Test
  void replacesDifferentContentByRenamingANewFile() throws IOException {
    Path file = dir.resolve("prometheus.yml");
    writer.write(file, bytes("a: 1\n"));
    Object inode = Files.readAttributes(file, "unix:ino").get("ino");
    assertThat(writer.write(file, bytes("a: 2\n"))).isTrue();
    assertThat(file).hasContent("a: 2\n");
    // A rename, not an in-place write: a reader holding the old file keeps the old bytes.
    assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isNotEqualTo(inode);
    assertThat(list(dir)).containsExactly(file);
  }

  @Test
  void aConcurrentReaderSeesOnlyWholeFiles() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    byte[] first = bytes("x".repeat(1 << 20));
    byte[] second = bytes("y".repeat(1 << 19));
    writer.write(file, first);
    AtomicBoolean stop = new AtomicBoolean();
    List<Integer> torn = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  byte[] read = Files.readAllBytes(file);
                  if (!Arrays.equals(read, first) && !Arrays.equals(read, second)) {
                    torn.add(read.length);
                  }
                } catch (IOException e) {
                  torn.add(-1);
                }
              }
            });
    reader.start();
    for (int i = 0; i < 40; i++) {
      writer.write(file, i % 2 == 0 ? second : first);
    }
    stop.set(true);
    reader.join();
    assertThat(torn).isEmpty();
  }

  @Test
  void aDirectoryMirrorsItsFilesAndDropsStaleOnes() throws IOException {
    Path rules = dir.resolve("rules/rules-0");
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("a.yaml", bytes("groups: []\n"));
    files.put("b.yaml", bytes("groups: []\n"));
    assertThat(writer.writeDirectory(rules, files)).isTrue();
    assertThat(writer.writeDirectory(rules, files)).isFalse();

    files.remove("a.yaml");
    assertThat(writer.writeDirectory(rules, files)).isTrue();
    assertThat(list(rules)).containsExactly(rules.resolve("b.yaml"));
  }

  @Test
  void refusesKeysThatLeaveTheDirectory() {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("..", bytes("x"));
    assertThatThrownBy(() -> writer.writeDirectory(dir, files))
        .hasMessageContaining("not a file name");
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }
}
