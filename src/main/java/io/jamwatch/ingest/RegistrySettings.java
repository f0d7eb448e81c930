package io.jamwatch.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Where the schema registry is and how to talk to it, from the config file's {@code registry.*}
 * keys: {@code registry.url} (Confluent's API root, or Apicurio's compatibility root {@code
 * .../apis/ccompat/v7}), {@code registry.basic.auth.user.info} ({@code user:password}), {@code
 * registry.bearer.auth.token}, {@code registry.timeout} (per request), {@code
 * registry.retry-backoff} (after a failed request, records fail fast for this long instead of
 * each waiting out the timeout), and {@code registry.header.NAME} for any other request header.
 */
public record RegistrySettings(
    URI url,
    String basicAuthUserInfo,
    String bearerToken,
    Duration timeout,
    Duration retryBackoff,
    Map<String, String> headers) {

  public RegistrySettings {
    if (timeout.isNegative() || timeout.isZero() || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("registry timeout must be > 0 and retry backoff >= 0");
    }
    if (url != null && url.getScheme() == null) {
      throw new IllegalArgumentException("registry.url needs a scheme (http:// or https://): " + url);
    }
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      throw new IllegalArgumentException("registry.basic.auth.user.info must be user:password");
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** No registry configured; 5 s timeout, 10 s backoff. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(null, null, null, Duration.ofSeconds(5), Duration.ofSeconds(10), Map.of());
  }

  public RegistrySettings withUrl(String u) {
    return new RegistrySettings(URI.create(u), basicAuthUserInfo, bearerToken, timeout, retryBackoff, headers);
  }

  public RegistrySettings withTimeouts(Duration t, Duration backoff) {
    return new RegistrySettings(url, basicAuthUserInfo, bearerToken, t, backoff, headers);
  }

  public RegistrySettings withBasicAuth(String userInfo) {
    return new RegistrySettings(url, userInfo, bearerToken, timeout, retryBackoff, headers);
  }

  /** Reads the {@code registry.*} keys; durations are parsed by {@code durations}. */
  public static RegistrySettings fromProperties(Properties p, java.util.function.BiFunction<String, String, Long> durations) {
    RegistrySettings d = defaults();
    URI url = null;
    String basic = null;
    String bearer = null;
    Duration timeout = d.timeout();
    Duration backoff = d.retryBackoff();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String k : new TreeSet<>(p.stringPropertyNames())) {
      if (!k.startsWith("registry.")) {
        continue;
      }
      String v = p.getProperty(k).trim();
      switch (k) {
        case "registry.url" -> url = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        case "registry.basic.auth.user.info" -> basic = v;
        case "registry.bearer.auth.token" -> bearer = v;
        case "registry.timeout" -> timeout = Duration.ofMillis(durations.apply(k, v));
        case "registry.retry-backoff" -> backoff = Duration.ofMillis(durations.apply(k, v));
        default -> {
          if (k.startsWith("registry.header.") && k.length() > "registry.header.".length()) {
            headers.put(k.substring("registry.header.".length()), v);
          } else {
            throw new IllegalArgumentException("unknown config key '" + k + "'; known: registry.url, "
                + "registry.basic.auth.user.info, registry.bearer.auth.token, registry.timeout, "
                + "registry.retry-backoff, registry.header.NAME");
          }
        }
      }
    }
    return new RegistrySettings(url, basic, bearer, timeout, backoff, headers);
  }

  @Override
  public String toString() {
    // Never print credentials.
    return "registry " + url + (basicAuthUserInfo != null ? " (basic auth)" : "")
        + (bearerToken != null ? " (bearer token)" : "");
  }
}
