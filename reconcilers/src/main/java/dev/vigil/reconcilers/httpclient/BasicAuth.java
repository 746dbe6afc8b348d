package dev.vigil.reconcilers.httpclient;

/** {@code basic_auth}, both values read from files. */
public record BasicAuth(String usernameFile, String passwordFile) {}
