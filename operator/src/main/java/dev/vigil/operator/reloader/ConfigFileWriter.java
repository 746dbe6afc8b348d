package dev.vigil.operator.reloader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Writes configuration files so a reader never sees half a file: the bytes go to a temporary file
 * in the same directory, are flushed to disk, and the temporary file is renamed over the target in
 * one atomic step. A file whose content is already the wanted one is not touched.
 */
public final class ConfigFileWriter {
  private static final String TEMP_SUFFIX = ".vigil-tmp";

  /**
   * Makes {@code file} hold exactly {@code content}.
   *
   * @return whether the file changed (false: it already held these bytes)
   */
  public boolean write(Path file, byte[] content) throws IOException {
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
      return false;
    }
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, "." + file.getFileName(), TEMP_SUFFIX);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // createTempFile makes the file owner-only; the reader (Prometheus) may run as another user
      // sharing the volume, as with files kubelet projects from a Secret (mode 0644).
      PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      if (posix != null) {
        posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      }
      move(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }

  /**
   * Makes {@code directory} hold exactly {@code files} (name to content): each file is written as
   * by {@link #write}, and regular files not named in {@code files} are deleted.
   *
   * @return whether anything in the directory changed
   */
  public boolean writeDirectory(Path directory, SortedMap<String, byte[]> files)
      throws IOException {
    boolean changed = false;
    for (var file : files.entrySet()) {
      changed |= write(directory.resolve(fileName(file.getKey())), file.getValue());
    }
    if (Files.isDirectory(directory)) {
      List<Path> stale;
      try (Stream<Path> present = Files.list(directory)) {
        stale =
            present
                .filter(Files::isRegularFile)
                .filter(p -> !files.containsKey(p.getFileName().toString()))
                .sorted()
                .toList();
      }
      for (Path path : stale) {
        Files.delete(path);
        changed = true;
      }
    }
    return changed;
  }

  /** A ConfigMap key is a file name; refuse anything that would leave the directory. */
  private static String fileName(String key) {
    if (key.isEmpty() || key.equals(".") || key.equals("..") || key.contains("/")) {
      throw new IllegalArgumentException("not a file name: \"" + key + "\"");
    }
    return key;
  }

  private static void move(Path temp, Path file) throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename atomically into " + file.getParent() + ": " + e.getMessage(), e);
    }
  }
}
