package dev.vigil.reconcilers.httpclient;

/** {@code authorization}: the {@code Authorization} header, credentials read from a file. */
public record Authorization(String type, String credentialsFile) {}
