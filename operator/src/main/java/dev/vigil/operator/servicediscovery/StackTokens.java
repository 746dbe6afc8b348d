package dev.vigil.operator.servicediscovery;

import java.util.Optional;

/** The bearer token each stack's Prometheus presents (Vigil generates it into a Secret). */
public interface StackTokens {
  /** The token of a stack, empty when the stack has none (yet). */
  Optional<byte[]> tokenOf(String namespace, String stack);
}
