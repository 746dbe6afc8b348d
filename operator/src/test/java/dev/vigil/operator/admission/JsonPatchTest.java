package dev.vigil.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void addsRemovesAndReplacesWithEscapedPaths() throws Exception {
    var before =
        JSON.readTree(
            "{\"metadata\":{\"annotations\":{\"a/b\":\"1\",\"gone\":\"x\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\"}]}}");
    var after =
        JSON.readTree(
            "{\"metadata\":{\"annotations\":{\"a/b\":\"2\",\"c~d\":\"3\"},\"labels\":{\"l\":\"v\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"env\":[]}]}}");

    assertThat(JsonPatch.diff(before, after).toString())
        .isEqualTo(
            "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/gone\"},"
                + "{\"op\":\"replace\",\"path\":\"/metadata/annotations/a~1b\",\"value\":\"2\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/c~0d\",\"value\":\"3\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"l\":\"v\"}},"
                + "{\"op\":\"replace\",\"path\":\"/spec/containers\","
                + "\"value\":[{\"name\":\"app\",\"env\":[]}]}]");
    assertThat(JsonPatch.diff(before, before)).isEmpty();
  }
}
