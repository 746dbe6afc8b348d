package dev.vigil.reconcilers.httpclient;

import java.util.List;
import java.util.Map;

/**
 * {@code oauth2}. Prometheus has no {@code client_id_file}, so the client ID (an identifier, not a
 * secret) is written inline; the client secret is read from a file.
 */
public record OAuth2(
    String clientId,
    String clientSecretFile,
    String tokenUrl,
    List<String> scopes,
    Map<String, String> endpointParams) {}
