package dev.vigil.e2e.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Addresses for stand-in applications that a test may send traffic to: the API server refuses
 * loopback addresses in EndpointSlices, yet a test must reach nothing but 127.0.0.0/8 and what it
 * created itself.
 *
 * <p>As root, {@link #open()} creates a network namespace of this test ({@code
 * vigil-<pid>-<random>}) joined to this machine by a veth pair with a /24 of 198.18.0.0/15 (RFC
 * 2544's benchmarking range, never routed on the internet, and not 10/8, whose fixture addresses
 * tests never dial): this machine's end is {@code 198.18.N.1}, the namespace's {@link
 * #address(int)} {@code 198.18.N.2}, {@code .3}, ... Stand-in apps run inside the namespace ({@link
 * #start}, {@link #metricsServer}); Prometheus on this machine reaches them through the veth.
 * {@link #close()} stops them and deletes the namespace (and with it the veth pair), also from a
 * shutdown hook; {@link #open()} first deletes the namespaces of earlier runs whose JVM is gone.
 *
 * <p>Without root there is no namespace: every address is this machine's own IPv4 address (the old
 * way, which keeps traffic on this machine but uses an address that is not the test's), the apps
 * run as plain processes, and a warning says so. CI runs as root.
 */
public final class TestNetwork implements AutoCloseable {
  /** The name of every namespace this class creates starts with this. */
  public static final String PREFIX = "vigil-";

  private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-[0-9a-f]+");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration READY = Duration.ofSeconds(20);

  /** A stand-in for an application: serves one body at one path, standard library only. */
  private static final String METRICS_SERVER =
      String.join(
          "\n",
          "import sys",
          "from http.server import BaseHTTPRequestHandler, HTTPServer",
          "address, port, path, body = sys.argv[1], int(sys.argv[2]), sys.argv[3],"
              + " sys.argv[4].encode()",
          "class Handler(BaseHTTPRequestHandler):",
          "    def do_GET(self):",
          "        if self.path.split('?')[0] != path:",
          "            self.send_error(404)",
          "            return",
          "        self.send_response(200)",
          "        self.send_header('Content-Type', 'text/plain; version=0.0.4')",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "    def log_message(self, *args):",
          "        pass",
          "HTTPServer((address, port), Handler).serve_forever()",
          "");

  private final String namespace; // null without root
  private final String veth;
  private final int[] subnet; // the /24's first three octets, or this machine's address
  private final List<String> added = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::closeQuietly, "test-network-cleanup");
  private boolean closed;

  TestNetwork(String namespace, String veth, int[] subnet) {
    this.namespace = namespace;
    this.veth = veth;
    this.subnet = subnet;
  }

  /**
   * A network namespace of this test when running as root (failing when it cannot be created), this
   * machine's own address with a warning otherwise.
   */
  public static TestNetwork open() throws IOException, InterruptedException {
    if (!isRoot()) {
      String host = machineAddress();
      System.err.printf(
          "WARNING: not root, so no network namespace for the stand-in apps: they listen on this"
              + " machine's address %s and Prometheus scrapes it. CI runs as root, where they live"
              + " in a namespace of the test's own.%n",
          host);
      return new TestNetwork(null, null, octets(host));
    }
    removeLeftovers();
    String name = PREFIX + ProcessHandle.current().pid() + "-" + hex(3);
    String veth = "vgl" + hex(4); // interface names have at most 15 characters
    int[] subnet = freeSubnet();
    TestNetwork network = new TestNetwork(name, veth, subnet);
    Runtime.getRuntime().addShutdownHook(network.hook);
    try {
      String host = network.prefix() + ".1/24";
      ip("netns", "add", name);
      ip("link", "add", veth, "type", "veth", "peer", "name", veth + "n", "netns", name);
      ip("addr", "add", host, "dev", veth);
      ip("link", "set", veth, "up");
      ip("-n", name, "link", "set", "lo", "up");
      ip("-n", name, "link", "set", veth + "n", "up");
      network.address(0);
      System.out.printf(
          "test network: namespace %s, %s (this machine's end %s)%n",
          name, network.range(), network.hostAddress());
    } catch (IOException | RuntimeException e) {
      network.close();
      throw new IOException("cannot create the test network " + name, e);
    }
    return network;
  }

  /** Whether stand-ins run in a namespace of their own ({@code false} without root). */
  public boolean isolated() {
    return namespace != null;
  }

  /** The namespace's name, {@code null} without root. */
  public String namespace() {
    return namespace;
  }

  /**
   * The {@code i}-th address inside the namespace ({@code 198.18.N.(2+i)}), added to its interface
   * on first use; without root, this machine's address whatever {@code i}.
   */
  public synchronized String address(int i) throws IOException {
    if (i < 0 || i > 250) {
      throw new IllegalArgumentException("address index " + i + " is outside 0..250");
    }
    if (!isolated()) {
      return prefix() + "." + subnet[3];
    }
    String address = prefix() + "." + (2 + i);
    if (!added.contains(address)) {
      try {
        ip("-n", namespace, "addr", "add", address + "/24", "dev", veth + "n");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      added.add(address);
    }
    return address;
  }

  /**
   * This machine's end of the veth pair ({@code 198.18.N.1}), for a process of the test on this
   * machine that the stand-ins or an EndpointSlice must reach; without root, this machine's
   * address.
   */
  public String hostAddress() {
    return isolated() ? prefix() + ".1" : prefix() + "." + subnet[3];
  }

  /** The range of this network, for messages: {@code 198.18.N.0/24} or this machine's address. */
  public String range() {
    return isolated() ? prefix() + ".0/24" : hostAddress() + "/32";
  }

  /** Whether {@code host} (an IPv4 literal) belongs to this network. */
  public boolean contains(String host) {
    int[] octets = octetsOrNull(host);
    if (octets == null) {
      return false;
    }
    if (!isolated()) {
      return host.equals(hostAddress());
    }
    return octets[0] == subnet[0] && octets[1] == subnet[1] && octets[2] == subnet[2];
  }

  /**
   * Whether a test may send traffic to {@code host}: an IPv4 literal in 127.0.0.0/8 or in one of
   * {@code networks}, {@code localhost}, or {@code ::1}. A name other than localhost is refused:
   * even resolving it sends a DNS query off this machine.
   */
  public static boolean allows(String host, TestNetwork... networks) {
    if (host == null) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    int[] octets = octetsOrNull(h);
    if (octets == null) {
      return false;
    }
    if (octets[0] == 127) {
      return true;
    }
    for (TestNetwork network : networks) {
      if (network != null && network.contains(h)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts {@code command} inside the namespace ({@code ip netns exec}), or on this machine without
   * root, its output to {@code log}. {@link #close()} stops it.
   */
  public synchronized Process start(List<String> command, Path log) throws IOException {
    List<String> full = new ArrayList<>();
    if (isolated()) {
      full.addAll(List.of("ip", "netns", "exec", namespace));
    }
    full.addAll(command);
    Process process =
        new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
    return process;
  }

  /**
   * A stand-in application in the namespace: {@code GET /metrics} on {@code address:port} answers
   * {@code body} in the Prometheus text format. Returns once it accepts connections.
   */
  public Process metricsServer(String address, int port, String body, Path log)
      throws IOException, InterruptedException {
    Process process =
        start(
            List.of(
                "python3", "-c", METRICS_SERVER, address, Integer.toString(port), "/metrics", body),
            log);
    awaitListening(process, address, port);
    return process;
  }

  /**
   * Waits until something accepts connections on {@code address:port}, while {@code process} lives.
   */
  public static void awaitListening(Process process, String address, int port)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), 500);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException(
              "nothing listens on "
                  + address
                  + ":"
                  + port
                  + " (process alive: "
                  + process.isAlive()
                  + ")",
              e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** Stops the processes started here and deletes the namespace and its veth pair. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (namespace != null) {
      delete(namespace);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("test network " + namespace + ": " + e);
    }
  }

  /**
   * Deletes the namespaces named {@code vigil-<pid>-...} whose JVM ({@code pid}) is gone, with
   * anything still running in them (stand-ins of a run that was killed).
   */
  public static void removeLeftovers() throws IOException, InterruptedException {
    for (String line : ip("netns", "list").split("\n")) {
      String name = line.trim().split("\\s+")[0];
      Matcher m = OURS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        System.err.println("deleting the test network of a run that is gone: " + name);
        delete(name);
      }
    }
  }

  private static void delete(String name) {
    try {
      for (String pid : ip("netns", "pids", name).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      ip("netns", "del", name);
    } catch (IOException e) {
      System.err.println("could not delete the test network " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String prefix() {
    return subnet[0] + "." + subnet[1] + "." + subnet[2];
  }

  /** A /24 of 198.18.0.0/15 that no address or route of this machine uses. */
  private static int[] freeSubnet() throws IOException, InterruptedException {
    String used = ip("-4", "route", "show", "table", "all") + ip("-4", "-o", "addr", "show");
    for (int attempt = 0; attempt < 100; attempt++) {
      int n = RANDOM.nextInt(512);
      int[] subnet = {198, 18 + n / 256, n % 256};
      String prefix = subnet[0] + "." + subnet[1] + "." + subnet[2] + ".";
      if (!used.contains(prefix)) {
        return subnet;
      }
    }
    throw new IOException("no free /24 in 198.18.0.0/15 after 100 tries");
  }

  static boolean isRoot() {
    try {
      Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return id.waitFor() == 0 && out.equals("0");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code ip args...}; its output, or an IOException with its error. */
  private static String ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no answer in 30 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.trim());
    }
    return out;
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  private static int[] octets(String address) {
    int[] octets = octetsOrNull(address);
    if (octets == null) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    return octets;
  }

  private static int[] octetsOrNull(String address) {
    Matcher m = IPV4.matcher(address);
    if (!m.matches()) {
      return null;
    }
    int[] octets = new int[4];
    for (int i = 0; i < 4; i++) {
      octets[i] = Integer.parseInt(m.group(i + 1));
      if (octets[i] > 255) {
        return null;
      }
    }
    return octets;
  }

  /** An IPv4 address of this machine outside 127/8, which EndpointSlices and pods may use. */
  private static String machineAddress() throws IOException {
    for (java.net.NetworkInterface nic :
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()) {
          return address.getHostAddress();
        }
      }
    }
    throw new IllegalStateException(
        "this test needs a non-loopback IPv4 address (the API server refuses loopback endpoints)");
  }
}
