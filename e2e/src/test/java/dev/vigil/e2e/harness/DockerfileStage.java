package dev.vigil.e2e.harness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Dockerfile stage sets in the image's config, read from the instructions our Dockerfile
 * uses (FROM, COPY, ENV, USER, WORKDIR, EXPOSE, LABEL, ENTRYPOINT in JSON form). Enough to compare
 * the Dockerfile with the image Jib builds; not a general Dockerfile parser.
 *
 * @param from the stage's base
 * @param keywords every instruction of the stage, in order
 * @param copyDestinations where the stage's COPY instructions put files
 * @param env ENV, by name
 * @param user USER
 * @param workdir WORKDIR
 * @param exposedPorts EXPOSE, as the image config writes them ({@code 8080/tcp})
 * @param labels LABEL, by key
 * @param entrypoint ENTRYPOINT
 */
public record DockerfileStage(
    String from,
    List<String> keywords,
    List<String> copyDestinations,
    Map<String, String> env,
    String user,
    String workdir,
    Set<String> exposedPorts,
    Map<String, String> labels,
    List<String> entrypoint) {

  /** {@code key=value} or {@code key="value with spaces"}. */
  private static final Pattern PAIR = Pattern.compile("([^\\s=]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  /** The last stage of {@code dockerfile}: the image it builds. */
  public static DockerfileStage last(Path dockerfile) throws IOException {
    List<String> instructions = instructions(Files.readAllLines(dockerfile));
    int lastFrom = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (keyword(instructions.get(i)).equals("FROM")) {
        lastFrom = i;
      }
    }
    if (lastFrom < 0) {
      throw new IllegalArgumentException(dockerfile + " has no FROM");
    }
    String from = argument(instructions.get(lastFrom)).split("\\s+")[0];
    List<String> keywords = new ArrayList<>();
    List<String> copies = new ArrayList<>();
    Map<String, String> env = new TreeMap<>();
    Map<String, String> labels = new TreeMap<>();
    Set<String> ports = new TreeSet<>();
    String user = null;
    String workdir = null;
    List<String> entrypoint = null;
    for (String instruction : instructions.subList(lastFrom + 1, instructions.size())) {
      String keyword = keyword(instruction);
      String argument = argument(instruction);
      keywords.add(keyword);
      switch (keyword) {
        case "COPY" -> {
          String[] words = argument.split("\\s+");
          copies.add(words[words.length - 1]);
        }
        case "ENV" -> env.putAll(pairs(argument));
        case "LABEL" -> labels.putAll(pairs(argument));
        case "USER" -> user = argument;
        case "WORKDIR" -> workdir = argument;
        case "EXPOSE" -> {
          for (String port : argument.split("\\s+")) {
            ports.add(port.contains("/") ? port : port + "/tcp");
          }
        }
        case "ENTRYPOINT" ->
            entrypoint = new ObjectMapper().readValue(argument, new TypeReference<>() {});
        default -> {}
      }
    }
    return new DockerfileStage(
        from, keywords, copies, env, user, workdir, ports, labels, entrypoint);
  }

  /** The lines joined at their trailing backslashes, without comments and blank lines. */
  private static List<String> instructions(List<String> lines) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      instructions.add(current.toString().strip());
      current.setLength(0);
    }
    return instructions;
  }

  private static String keyword(String instruction) {
    return instruction.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
  }

  private static String argument(String instruction) {
    String[] parts = instruction.split("\\s+", 2);
    return parts.length < 2 ? "" : parts[1].strip();
  }

  private static Map<String, String> pairs(String argument) {
    Map<String, String> pairs = new TreeMap<>();
    Matcher m = PAIR.matcher(argument);
    while (m.find()) {
      String value = m.group(2);
      if (value.startsWith("\"")) {
        value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
      }
      pairs.put(m.group(1), value);
    }
    return pairs;
  }
}
