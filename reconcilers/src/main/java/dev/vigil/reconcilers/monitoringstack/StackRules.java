package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.rules.RuleConfigMaps;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules every shard of a stack loads: one rule file per selected AlertPolicy,
 * namespace-enforced when the stack says so, packed into ConfigMaps {@code
 * <stack>-prometheus-rules-<i>} under the object size limit, which the reloader mirrors into {@code
 * /etc/prometheus/rules/<configmap>/}. Pure.
 *
 * @param configMaps the data of each rule ConfigMap, in order
 * @param policies selected policies with at least one group that loads
 * @param rules rules that load, over all policies
 */
public record StackRules(List<Map<String, String>> configMaps, int policies, int rules) {
  static final String RULES_DIR = "/etc/prometheus/rules";

  public StackRules {
    configMaps = List.copyOf(configMaps);
  }

  /**
   * @param policies the policies the stack selects, Vigil's and prometheus-operator's
   * @param enforcement the stack's namespace enforcement, applied to every policy it does not
   *     exclude
   */
  public static StackRules of(
      List<AlertPolicy> policies, ExpressionCheck check, NamespaceEnforcement enforcement) {
    Map<String, String> files = new TreeMap<>();
    int loaded = 0;
    int rules = 0;
    for (AlertPolicy policy : policies) {
      PolicyRules.Result result = PolicyRules.build(policy, check, enforcement.labelFor(policy));
      if (result.file().groups().isEmpty()) {
        continue;
      }
      String content = RuleFileRenderer.render(result.file());
      if (tooBig(result.key(), content)) {
        continue; // the policy's own status says so (see PolicyRules.tooBig)
      }
      files.put(result.key(), content);
      loaded++;
      rules += result.rules();
    }
    return new StackRules(RuleConfigMaps.pack(files, RuleConfigMaps.MAX_BYTES), loaded, rules);
  }

  static boolean tooBig(String key, String content) {
    return key.length() + content.getBytes(StandardCharsets.UTF_8).length
        > RuleConfigMaps.MAX_BYTES;
  }

  /** {@code <stack>-prometheus-rules-<i>}. */
  public static String configMapName(MonitoringStack stack, int index) {
    return stack.getMetadata().getName() + "-prometheus-rules-" + index;
  }

  public List<String> configMapNames(MonitoringStack stack) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < configMaps.size(); i++) {
      names.add(configMapName(stack, i));
    }
    return names;
  }

  /** The {@code rule_files} of {@code prometheus.yml}: one glob per ConfigMap's directory. */
  public List<String> ruleFiles(MonitoringStack stack) {
    return configMapNames(stack).stream().map(name -> RULES_DIR + "/" + name + "/*.yaml").toList();
  }
}
