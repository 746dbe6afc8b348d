package dev.vigil.operator.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Clients that hold a server's connections without ever finishing a request, all driven by one
 * thread on non-blocking sockets, to loopback only. When the server closes one, it notes how long
 * the connection lived and opens a new one at its next tick, so the server faces {@code count} slow
 * connections for as long as the clients run, as a real slowloris keeps it.
 */
final class SlowClients implements AutoCloseable {
  /** How often each client sends its next byte and looks whether the server closed it. */
  static final long TICK_MILLIS = 250;

  enum Kind {
    /** Sends a request's headers a byte a tick, never the blank line that ends them. */
    SLOW_HEADERS,
    /** Sends a TLS record header announcing 16 KiB, then its body a byte a tick. */
    SLOW_HANDSHAKE,
    /** Connects and sends nothing. */
    SILENT,
    /**
     * Asks for a big answer with a 4 KiB receive buffer and never reads it; sends a byte a tick, so
     * the server's close shows as a reset.
     */
    NON_READER
  }

  /** What happened to the connections of one kind. */
  static final class Tally {
    int opened;
    int refused;
    final List<Long> lifetimesMillis = new ArrayList<>();

    synchronized long medianLifetimeMillis() {
      if (lifetimesMillis.isEmpty()) {
        return -1;
      }
      List<Long> sorted = new ArrayList<>(lifetimesMillis);
      sorted.sort(null);
      return sorted.get(sorted.size() / 2);
    }

    synchronized long maxLifetimeMillis() {
      return lifetimesMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    synchronized int closedByServer() {
      return lifetimesMillis.size();
    }
  }

  private final class Client {
    final Kind kind;
    final InetSocketAddress address;
    final byte[] request;
    SocketChannel channel;
    long openedAt;
    int sent;

    Client(Kind kind, InetSocketAddress address, byte[] request) {
      this.kind = kind;
      this.address = address;
      this.request = request;
    }

    void tick(long now) {
      Tally tally = tallies.get(kind);
      if (channel == null) {
        try {
          channel = SocketChannel.open();
          if (kind == Kind.NON_READER) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
          }
          channel.socket().connect(address, 1000);
          channel.configureBlocking(false);
          openedAt = now;
          sent = 0;
          synchronized (tally) {
            tally.opened++;
          }
          if (kind == Kind.NON_READER) {
            ByteBuffer whole = ByteBuffer.wrap(request);
            while (whole.hasRemaining()) {
              channel.write(whole);
            }
          }
        } catch (IOException e) {
          synchronized (tally) {
            tally.refused++;
          }
          closeQuietly();
        }
        return;
      }
      try {
        if (kind != Kind.NON_READER && channel.read(ByteBuffer.allocate(512)) < 0) {
          closedByServer(now);
          return;
        }
        switch (kind) {
          case SLOW_HEADERS, SLOW_HANDSHAKE -> {
            byte next = sent < request.length ? request[sent] : (byte) 'a';
            channel.write(ByteBuffer.wrap(new byte[] {next}));
            sent++;
          }
          case NON_READER -> channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
          case SILENT -> {}
        }
      } catch (IOException e) {
        closedByServer(now);
      }
    }

    void closedByServer(long now) {
      Tally tally = tallies.get(kind);
      synchronized (tally) {
        tally.lifetimesMillis.add(now - openedAt);
      }
      closeQuietly();
    }

    void closeQuietly() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // gone already
        }
      }
      channel = null;
    }
  }

  private final List<Client> clients = new ArrayList<>();
  private final Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
  private final Thread driver;
  private volatile boolean running = true;
  private volatile int open;
  private volatile int maxOpen;

  private SlowClients() {
    for (Kind kind : Kind.values()) {
      tallies.put(kind, new Tally());
    }
    driver = new Thread(this::drive, "slow-clients");
    driver.setDaemon(true);
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private final SlowClients slow = new SlowClients();

    /** {@code count} clients of a kind against a loopback port. */
    Builder add(int count, Kind kind, int port, String request) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      byte[] bytes =
          kind == Kind.SLOW_HANDSHAKE
              ? new byte[] {0x16, 0x03, 0x01, 0x40, 0x00}
              : request.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < count; i++) {
        slow.clients.add(slow.new Client(kind, address, bytes));
      }
      return this;
    }

    SlowClients start() {
      slow.driver.start();
      return slow;
    }
  }

  private void drive() {
    while (running) {
      long started = System.nanoTime();
      long now = TimeUnit.NANOSECONDS.toMillis(started);
      int openNow = 0;
      for (Client client : clients) {
        if (!running) {
          break;
        }
        client.tick(now);
        if (client.channel != null) {
          openNow++;
        }
      }
      open = openNow;
      maxOpen = Math.max(maxOpen, openNow);
      long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      try {
        Thread.sleep(Math.max(10, TICK_MILLIS - spent));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int size() {
    return clients.size();
  }

  int open() {
    return open;
  }

  int maxOpen() {
    return maxOpen;
  }

  Map<Kind, Tally> tallies() {
    return tallies;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    driver.join(5_000);
    clients.forEach(Client::closeQuietly);
  }
}
