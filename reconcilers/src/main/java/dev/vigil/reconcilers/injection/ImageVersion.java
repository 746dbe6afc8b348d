package dev.vigil.reconcilers.injection;

/**
 * {@code service.version} from a container image: its tag, unless the image is pinned by digest (a
 * digest says nothing a person reads as a version) or tagged {@code latest}, or has no tag.
 */
final class ImageVersion {
  private ImageVersion() {}

  static String of(String image) {
    if (image == null || image.isBlank() || image.contains("@")) {
      return null;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash || colon == image.length() - 1) {
      return null;
    }
    String tag = image.substring(colon + 1).trim();
    return tag.equals("latest") || tag.contains(",") || tag.contains("=") ? null : tag;
  }
}
