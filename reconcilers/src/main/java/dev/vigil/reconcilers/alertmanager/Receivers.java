package dev.vigil.reconcilers.alertmanager;

import dev.vigil.api.v1alpha1.alertpolicy.EmailReceiver;
import dev.vigil.api.v1alpha1.alertpolicy.MSTeamsReceiver;
import dev.vigil.api.v1alpha1.alertpolicy.OpsgenieReceiver;
import dev.vigil.api.v1alpha1.alertpolicy.PagerDutyReceiver;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.SlackReceiver;
import dev.vigil.api.v1alpha1.alertpolicy.WebhookReceiver;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.EmailConfig;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.Global;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.MsteamsV2Config;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.OpsgenieConfig;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.PagerdutyConfig;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.SlackConfig;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.WebhookConfig;
import dev.vigil.reconcilers.config.PartLeftOut;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns one receiver of the API (a policy's, or the stack's default) into Alertmanager's receiver:
 * exactly one integration, every credential a {@code *_file} path from {@link SecretFiles}, and the
 * checks Alertmanager makes when it loads the file (so that one receiver can never make it refuse
 * the whole configuration).
 */
final class Receivers {
  /** What the API accepts as a receiver name; never a {@code /}, which Vigil's prefixes use. */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");

  private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s]+");

  private Receivers() {}

  /**
   * @param spec the receiver as the API has it
   * @param name the name it gets in the file
   * @param field the receiver's field, for problems, e.g. {@code spec.routing.receivers[0]}
   * @param global the file's globals, which email receivers fall back to
   */
  static AlertmanagerConfig.Receiver of(
      Receiver spec, String name, String field, SecretFiles files, Global global) {
    int integrations = 0;
    for (Object integration :
        new Object[] {
          spec.webhook, spec.slack, spec.email, spec.pagerduty, spec.opsgenie, spec.msteams
        }) {
      integrations += integration == null ? 0 : 1;
    }
    if (integrations != 1) {
      throw new PartLeftOut(
          field + ": set exactly one of webhook, slack, email, pagerduty, opsgenie or msteams");
    }
    return new AlertmanagerConfig.Receiver(
        name,
        spec.webhook == null ? null : List.of(webhook(spec.webhook, field + ".webhook", files)),
        spec.email == null ? null : List.of(email(spec.email, field + ".email", files, global)),
        spec.pagerduty == null
            ? null
            : List.of(pagerduty(spec.pagerduty, field + ".pagerduty", files)),
        spec.slack == null ? null : List.of(slack(spec.slack, field + ".slack", files)),
        spec.opsgenie == null ? null : List.of(opsgenie(spec.opsgenie, field + ".opsgenie", files)),
        spec.msteams == null ? null : List.of(msteams(spec.msteams, field + ".msteams", files)));
  }

  private static WebhookConfig webhook(WebhookReceiver spec, String field, SecretFiles files) {
    if ((spec.url == null) == (spec.urlSecret == null)) {
      throw new PartLeftOut(
          field
              + ": set exactly one of url or urlSecret (use urlSecret when the URL holds a token)");
    }
    if (spec.maxAlerts != null && spec.maxAlerts < 0) {
      throw new PartLeftOut(field + ".maxAlerts must not be negative");
    }
    return new WebhookConfig(
        spec.sendResolved,
        spec.url == null ? null : url(spec.url, field + ".url"),
        spec.urlSecret == null ? null : files.file(spec.urlSecret, field + ".urlSecret"),
        spec.maxAlerts);
  }

  private static EmailConfig email(
      EmailReceiver spec, String field, SecretFiles files, Global global) {
    if (spec.to == null || spec.to.isBlank()) {
      throw new PartLeftOut(field + ".to is required");
    }
    // Alertmanager refuses the whole file when an email receiver has neither its own nor a
    // global sender and smarthost.
    if (spec.from == null && global.smtpFrom() == null) {
      throw new PartLeftOut(
          field + ".from is required: the stack sets no spec.alertmanager.global.smtp.from");
    }
    if (spec.smarthost == null && global.smtpSmarthost() == null) {
      throw new PartLeftOut(
          field
              + ".smarthost is required: the stack sets no spec.alertmanager.global.smtp.smarthost");
    }
    // Alertmanager gives a receiver without a password of its own the global SMTP credentials,
    // even when it names another server: a policy could have them sent to a server it controls.
    boolean globalCredentials =
        global.smtpAuthPasswordFile() != null || global.smtpAuthUsername() != null;
    if (globalCredentials
        && spec.smarthost != null
        && !spec.smarthost.equals(global.smtpSmarthost())
        && spec.authPassword == null) {
      throw new PartLeftOut(
          ("%s: a receiver with its own smarthost must set its own authUsername and authPassword;"
                  + " Alertmanager would otherwise send the stack's SMTP credentials to %s")
              .formatted(field, spec.smarthost));
    }
    Map<String, String> headers = null;
    if (spec.headers != null && !spec.headers.isEmpty()) {
      headers = new TreeMap<>();
      Map<String, String> seen = new TreeMap<>();
      for (Map.Entry<String, String> header : spec.headers.entrySet()) {
        // Alertmanager compares header names case-insensitively and refuses repeats.
        String previous = seen.put(header.getKey().toLowerCase(Locale.ROOT), header.getKey());
        if (previous != null) {
          throw new PartLeftOut(
              "%s.headers: \"%s\" and \"%s\" are the same header"
                  .formatted(field, previous, header.getKey()));
        }
        headers.put(header.getKey(), header.getValue() == null ? "" : header.getValue());
      }
    }
    return new EmailConfig(
        spec.sendResolved,
        spec.to,
        spec.from,
        spec.smarthost,
        spec.authUsername,
        spec.authPassword == null ? null : files.file(spec.authPassword, field + ".authPassword"),
        spec.requireTLS,
        headers);
  }

  private static PagerdutyConfig pagerduty(
      PagerDutyReceiver spec, String field, SecretFiles files) {
    return new PagerdutyConfig(
        spec.sendResolved,
        files.file(spec.routingKey, field + ".routingKey"),
        spec.url == null ? null : url(spec.url, field + ".url"),
        spec.severity,
        spec.description);
  }

  private static SlackConfig slack(SlackReceiver spec, String field, SecretFiles files) {
    return new SlackConfig(
        spec.sendResolved,
        files.file(spec.apiUrl, field + ".apiUrl"),
        spec.channel,
        spec.username,
        spec.title,
        spec.text);
  }

  private static OpsgenieConfig opsgenie(OpsgenieReceiver spec, String field, SecretFiles files) {
    return new OpsgenieConfig(
        spec.sendResolved,
        files.file(spec.apiKey, field + ".apiKey"),
        spec.apiUrl == null ? null : url(spec.apiUrl, field + ".apiUrl"),
        spec.message,
        spec.priority,
        spec.tags);
  }

  private static MsteamsV2Config msteams(MSTeamsReceiver spec, String field, SecretFiles files) {
    return new MsteamsV2Config(
        spec.sendResolved,
        files.file(spec.webhookUrl, field + ".webhookUrl"),
        spec.title,
        spec.text);
  }

  /** An http(s) URL, as Alertmanager requires of every integration URL. */
  static String url(String url, String field) {
    if (!HTTP_URL.matcher(url).matches()) {
      throw new PartLeftOut("%s \"%s\" is not an http or https URL".formatted(field, url));
    }
    return url;
  }

  /** The names of {@code receivers}, checked: present, valid and unique. */
  static List<String> names(List<Receiver> receivers, String field) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < receivers.size(); i++) {
      Receiver receiver = receivers.get(i);
      String name = receiver == null ? null : receiver.name;
      if (name == null) {
        throw new PartLeftOut(
            "%s[%d] has no name: give it 1 to 64 letters, digits, '_', '.' or '-'"
                .formatted(field, i));
      }
      if (!NAME.matcher(name).matches()) {
        throw new PartLeftOut(
            "%s[%d].name \"%s\" must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
                .formatted(field, i, name));
      }
      if (names.contains(name)) {
        throw new PartLeftOut("%s[%d].name \"%s\" is used twice".formatted(field, i, name));
      }
      names.add(name);
    }
    return names;
  }
}
