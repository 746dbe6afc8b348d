package dev.vigil.reconcilers.alertmanager;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The {@code alertmanager.yml} Vigil writes, as records that mirror Alertmanager's own
 * configuration structs (component names are the YAML keys in camelCase; {@link
 * AlertmanagerConfigRenderer} writes them in snake_case, in declaration order). A null component or
 * an empty list or map is left out of the file, so Alertmanager applies its default.
 *
 * <p>No record holds a credential: every secret is a {@code *_file} path, see {@link
 * AlertmanagerConfigBuilder#path}.
 */
public record AlertmanagerConfig(
    Global global, Route route, List<InhibitRule> inhibitRules, List<Receiver> receivers) {

  /** {@code global}: defaults every receiver of the given kind falls back to; null when none. */
  public record Global(
      String resolveTimeout,
      String smtpFrom,
      String smtpSmarthost,
      String smtpAuthUsername,
      String smtpAuthPasswordFile,
      Boolean smtpRequireTls,
      String slackApiUrlFile,
      String pagerdutyUrl,
      String opsgenieApiUrl) {
    /** No global setting: Alertmanager's defaults. */
    public static final Global NONE =
        new Global(null, null, null, null, null, null, null, null, null);
  }

  /**
   * A node of the routing tree. {@code matchers} are in Alertmanager's matcher syntax ({@code
   * name="value"}, {@code name=~"regex"}, ...), all of which an alert must meet.
   */
  public record Route(
      String receiver,
      List<String> groupBy,
      @JsonProperty("continue") Boolean continueMatching,
      List<String> matchers,
      String groupWait,
      String groupInterval,
      String repeatInterval,
      List<Route> routes) {}

  /** One entry of {@code inhibit_rules}. */
  public record InhibitRule(
      List<String> sourceMatchers, List<String> targetMatchers, List<String> equal) {}

  /** One entry of {@code receivers}: a name and its integrations (none: a null receiver). */
  public record Receiver(
      String name,
      List<WebhookConfig> webhookConfigs,
      List<EmailConfig> emailConfigs,
      List<PagerdutyConfig> pagerdutyConfigs,
      List<SlackConfig> slackConfigs,
      List<OpsgenieConfig> opsgenieConfigs,
      @JsonProperty("msteamsv2_configs") List<MsteamsV2Config> msteamsV2Configs) {

    /** A receiver without integrations: its alerts are dropped. */
    public static Receiver none(String name) {
      return new Receiver(name, null, null, null, null, null, null);
    }
  }

  /** {@code webhook_configs} entry: exactly one of {@code url} and {@code url_file}. */
  public record WebhookConfig(
      Boolean sendResolved, String url, String urlFile, Integer maxAlerts) {}

  /** {@code email_configs} entry; the password only as {@code auth_password_file}. */
  public record EmailConfig(
      Boolean sendResolved,
      String to,
      String from,
      String smarthost,
      String authUsername,
      String authPasswordFile,
      Boolean requireTls,
      Map<String, String> headers) {}

  /** {@code pagerduty_configs} entry (Events API v2): the key only as {@code routing_key_file}. */
  public record PagerdutyConfig(
      Boolean sendResolved,
      String routingKeyFile,
      String url,
      String severity,
      String description) {}

  /** {@code slack_configs} entry: the webhook URL only as {@code api_url_file}. */
  public record SlackConfig(
      Boolean sendResolved,
      String apiUrlFile,
      String channel,
      String username,
      String title,
      String text) {}

  /** {@code opsgenie_configs} entry: the API key only as {@code api_key_file}. */
  public record OpsgenieConfig(
      Boolean sendResolved,
      String apiKeyFile,
      String apiUrl,
      String message,
      String priority,
      String tags) {}

  /** {@code msteamsv2_configs} entry (Workflows): the URL only as {@code webhook_url_file}. */
  public record MsteamsV2Config(
      Boolean sendResolved, String webhookUrlFile, String title, String text) {}
}
