package dev.vigil.reconcilers.goregex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The names {@code \p{...}} accepts, looked up as Go 1.26 looks them up ({@code regexp/syntax},
 * {@code unicodeTable}): the name is made canonical (upper-case first letter, the rest lower case,
 * no {@code _}, {@code -} or space), then it is {@code Any}, {@code Assigned}, {@code ASCII},
 * {@code LC}, a general category, a script, or an alias of a category ({@code Letter}, {@code
 * digit}).
 *
 * <p>Two consequences that are Go's, not Vigil's: case and underscores no longer matter ({@code
 * \p{greek}} is {@code \p{Greek}}), and a script whose own name has an underscore or a second
 * capital ({@code Old_Italic}, {@code SignWriting}) can no longer be named at all, since its
 * canonical form ({@code Olditalic}) is not a key of Go's table; Go refuses it.
 *
 * <p>For matching, a name RE2/J knows is written as RE2/J spells it; the others (the scripts of
 * Unicode 6.1 and later, {@code Cn}, {@code LC}, {@code Any}, {@code ASCII}) are written out as
 * ranges, taken from the JVM's own Unicode data, or from Go's tables for the four scripts of
 * Unicode 14 and 15 a Java 17 runtime does not know.
 */
final class UnicodeNames {
  /** A table Go's lookup found: its key in Go's {@code unicode} package, and whether it inverts. */
  record Table(String key, boolean inverted) {}

  /** Go's {@code unicode.Categories} keys whose canonical form is themselves. */
  private static final Set<String> CATEGORIES =
      Set.of(
          "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
          "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
          "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

  /** Go 1.26's {@code unicode.Scripts} keys (Unicode 15.0), as Go spells them. */
  private static final Set<String> SCRIPTS =
      Set.of(
          "Adlam",
          "Ahom",
          "Anatolian_Hieroglyphs",
          "Arabic",
          "Armenian",
          "Avestan",
          "Balinese",
          "Bamum",
          "Bassa_Vah",
          "Batak",
          "Bengali",
          "Bhaiksuki",
          "Bopomofo",
          "Brahmi",
          "Braille",
          "Buginese",
          "Buhid",
          "Canadian_Aboriginal",
          "Carian",
          "Caucasian_Albanian",
          "Chakma",
          "Cham",
          "Cherokee",
          "Chorasmian",
          "Common",
          "Coptic",
          "Cuneiform",
          "Cypriot",
          "Cypro_Minoan",
          "Cyrillic",
          "Deseret",
          "Devanagari",
          "Dives_Akuru",
          "Dogra",
          "Duployan",
          "Egyptian_Hieroglyphs",
          "Elbasan",
          "Elymaic",
          "Ethiopic",
          "Georgian",
          "Glagolitic",
          "Gothic",
          "Grantha",
          "Greek",
          "Gujarati",
          "Gunjala_Gondi",
          "Gurmukhi",
          "Han",
          "Hangul",
          "Hanifi_Rohingya",
          "Hanunoo",
          "Hatran",
          "Hebrew",
          "Hiragana",
          "Imperial_Aramaic",
          "Inherited",
          "Inscriptional_Pahlavi",
          "Inscriptional_Parthian",
          "Javanese",
          "Kaithi",
          "Kannada",
          "Katakana",
          "Kawi",
          "Kayah_Li",
          "Kharoshthi",
          "Khitan_Small_Script",
          "Khmer",
          "Khojki",
          "Khudawadi",
          "Lao",
          "Latin",
          "Lepcha",
          "Limbu",
          "Linear_A",
          "Linear_B",
          "Lisu",
          "Lycian",
          "Lydian",
          "Mahajani",
          "Makasar",
          "Malayalam",
          "Mandaic",
          "Manichaean",
          "Marchen",
          "Masaram_Gondi",
          "Medefaidrin",
          "Meetei_Mayek",
          "Mende_Kikakui",
          "Meroitic_Cursive",
          "Meroitic_Hieroglyphs",
          "Miao",
          "Modi",
          "Mongolian",
          "Mro",
          "Multani",
          "Myanmar",
          "Nabataean",
          "Nag_Mundari",
          "Nandinagari",
          "New_Tai_Lue",
          "Newa",
          "Nko",
          "Nushu",
          "Nyiakeng_Puachue_Hmong",
          "Ogham",
          "Ol_Chiki",
          "Old_Hungarian",
          "Old_Italic",
          "Old_North_Arabian",
          "Old_Permic",
          "Old_Persian",
          "Old_Sogdian",
          "Old_South_Arabian",
          "Old_Turkic",
          "Old_Uyghur",
          "Oriya",
          "Osage",
          "Osmanya",
          "Pahawh_Hmong",
          "Palmyrene",
          "Pau_Cin_Hau",
          "Phags_Pa",
          "Phoenician",
          "Psalter_Pahlavi",
          "Rejang",
          "Runic",
          "Samaritan",
          "Saurashtra",
          "Sharada",
          "Shavian",
          "Siddham",
          "SignWriting",
          "Sinhala",
          "Sogdian",
          "Sora_Sompeng",
          "Soyombo",
          "Sundanese",
          "Syloti_Nagri",
          "Syriac",
          "Tagalog",
          "Tagbanwa",
          "Tai_Le",
          "Tai_Tham",
          "Tai_Viet",
          "Takri",
          "Tamil",
          "Tangsa",
          "Tangut",
          "Telugu",
          "Thaana",
          "Thai",
          "Tibetan",
          "Tifinagh",
          "Tirhuta",
          "Toto",
          "Ugaritic",
          "Vai",
          "Vithkuqi",
          "Wancho",
          "Warang_Citi",
          "Yezidi",
          "Yi",
          "Zanabazar_Square");

  /** The scripts Go 1.26's lookup reaches: those whose canonical form is their own key. */
  private static final Set<String> CANONICAL_SCRIPTS =
      SCRIPTS.stream()
          .filter(script -> canonical(script).equals(script))
          .collect(Collectors.toUnmodifiableSet());

  /** Go's {@code unicode.CategoryAliases}, by canonical name. */
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("Casedletter", "LC"),
          Map.entry("Closepunctuation", "Pe"),
          Map.entry("Cntrl", "Cc"),
          Map.entry("Combiningmark", "M"),
          Map.entry("Connectorpunctuation", "Pc"),
          Map.entry("Control", "Cc"),
          Map.entry("Currencysymbol", "Sc"),
          Map.entry("Dashpunctuation", "Pd"),
          Map.entry("Decimalnumber", "Nd"),
          Map.entry("Digit", "Nd"),
          Map.entry("Enclosingmark", "Me"),
          Map.entry("Finalpunctuation", "Pf"),
          Map.entry("Format", "Cf"),
          Map.entry("Initialpunctuation", "Pi"),
          Map.entry("Letter", "L"),
          Map.entry("Letternumber", "Nl"),
          Map.entry("Lineseparator", "Zl"),
          Map.entry("Lowercaseletter", "Ll"),
          Map.entry("Mark", "M"),
          Map.entry("Mathsymbol", "Sm"),
          Map.entry("Modifierletter", "Lm"),
          Map.entry("Modifiersymbol", "Sk"),
          Map.entry("Nonspacingmark", "Mn"),
          Map.entry("Number", "N"),
          Map.entry("Openpunctuation", "Ps"),
          Map.entry("Other", "C"),
          Map.entry("Otherletter", "Lo"),
          Map.entry("Othernumber", "No"),
          Map.entry("Otherpunctuation", "Po"),
          Map.entry("Othersymbol", "So"),
          Map.entry("Paragraphseparator", "Zp"),
          Map.entry("Privateuse", "Co"),
          Map.entry("Punct", "P"),
          Map.entry("Punctuation", "P"),
          Map.entry("Separator", "Z"),
          Map.entry("Spaceseparator", "Zs"),
          Map.entry("Spacingmark", "Mc"),
          Map.entry("Surrogate", "Cs"),
          Map.entry("Symbol", "S"),
          Map.entry("Titlecaseletter", "Lt"),
          Map.entry("Unassigned", "Cn"),
          Map.entry("Uppercaseletter", "Lu"));

  /** Go's ranges of the scripts Unicode 14 and 15 added, for a JVM older than Java 20. */
  private static final Map<String, int[]> NEWER_SCRIPTS =
      Map.of(
          "Cypro_Minoan", new int[] {0x12F90, 0x12FF2},
          "Old_Uyghur", new int[] {0x10F70, 0x10F89},
          "Nag_Mundari", new int[] {0x1E4D0, 0x1E4F9},
          "Tangsa", new int[] {0x16A70, 0x16ABE, 0x16AC0, 0x16AC9},
          "Toto", new int[] {0x1E290, 0x1E2AE},
          "Vithkuqi",
              new int[] {
                0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597,
                0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC
              },
          "Kawi", new int[] {0x11F00, 0x11F10, 0x11F12, 0x11F3A, 0x11F3E, 0x11F59});

  /** Java's general category constants for each of Go's categories. */
  private static final Map<String, byte[]> JAVA_TYPES =
      Map.ofEntries(
          Map.entry("Cc", new byte[] {Character.CONTROL}),
          Map.entry("Cf", new byte[] {Character.FORMAT}),
          Map.entry("Cn", new byte[] {Character.UNASSIGNED}),
          Map.entry("Co", new byte[] {Character.PRIVATE_USE}),
          Map.entry("Cs", new byte[] {Character.SURROGATE}),
          Map.entry("Ll", new byte[] {Character.LOWERCASE_LETTER}),
          Map.entry("Lm", new byte[] {Character.MODIFIER_LETTER}),
          Map.entry("Lo", new byte[] {Character.OTHER_LETTER}),
          Map.entry("Lt", new byte[] {Character.TITLECASE_LETTER}),
          Map.entry("Lu", new byte[] {Character.UPPERCASE_LETTER}),
          Map.entry("Mc", new byte[] {Character.COMBINING_SPACING_MARK}),
          Map.entry("Me", new byte[] {Character.ENCLOSING_MARK}),
          Map.entry("Mn", new byte[] {Character.NON_SPACING_MARK}),
          Map.entry("Nd", new byte[] {Character.DECIMAL_DIGIT_NUMBER}),
          Map.entry("Nl", new byte[] {Character.LETTER_NUMBER}),
          Map.entry("No", new byte[] {Character.OTHER_NUMBER}),
          Map.entry("Pc", new byte[] {Character.CONNECTOR_PUNCTUATION}),
          Map.entry("Pd", new byte[] {Character.DASH_PUNCTUATION}),
          Map.entry("Pe", new byte[] {Character.END_PUNCTUATION}),
          Map.entry("Pf", new byte[] {Character.FINAL_QUOTE_PUNCTUATION}),
          Map.entry("Pi", new byte[] {Character.INITIAL_QUOTE_PUNCTUATION}),
          Map.entry("Po", new byte[] {Character.OTHER_PUNCTUATION}),
          Map.entry("Ps", new byte[] {Character.START_PUNCTUATION}),
          Map.entry("Sc", new byte[] {Character.CURRENCY_SYMBOL}),
          Map.entry("Sk", new byte[] {Character.MODIFIER_SYMBOL}),
          Map.entry("Sm", new byte[] {Character.MATH_SYMBOL}),
          Map.entry("So", new byte[] {Character.OTHER_SYMBOL}),
          Map.entry("Zl", new byte[] {Character.LINE_SEPARATOR}),
          Map.entry("Zp", new byte[] {Character.PARAGRAPH_SEPARATOR}),
          Map.entry("Zs", new byte[] {Character.SPACE_SEPARATOR}),
          Map.entry(
              "LC",
              new byte[] {
                Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER
              }));

  private static final int MAX_RUNE = 0x10FFFF;

  /** The ranges of each table, by key. */
  private static final Map<String, int[]> RANGES = new ConcurrentHashMap<>();

  private UnicodeNames() {}

  /**
   * The table {@code \p{name}} means to Go 1.24's parser (grafana/regexp's copy, which Prometheus
   * parses PromQL label matchers with), or null: the name exactly as Go's tables spell it, or
   * {@code Any}.
   */
  static Table lookupExact(String name) {
    if (name.equals("Any")) {
      return new Table("Any", false);
    }
    return CATEGORIES.contains(name) || name.equals("LC") || SCRIPTS.contains(name)
        ? new Table(name, false)
        : null;
  }

  /** The table {@code \p{name}} means to Go 1.26, or null when Go refuses the name. */
  static Table lookup(String name) {
    String canonical = canonical(name);
    switch (canonical) {
      case "Any":
        return new Table("Any", false);
      case "Assigned":
        return new Table("Cn", true);
      case "Ascii":
        return new Table("ASCII", false);
      case "Lc":
        return new Table("LC", false);
      default:
        break;
    }
    if (CATEGORIES.contains(canonical) || CANONICAL_SCRIPTS.contains(canonical)) {
      return new Table(canonical, false);
    }
    String alias = ALIASES.get(canonical);
    return alias == null ? null : new Table(alias, false);
  }

  /** Go's {@code canonicalName}. */
  static String canonical(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean first = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' || c == '-' || c == ' ') {
        continue;
      }
      if (first) {
        c = c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
        first = false;
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) (c - 'A' + 'a');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** The code points of a table, as sorted, disjoint {@code lo, hi} pairs. */
  static int[] ranges(Table table) {
    return RANGES.computeIfAbsent(table.key(), UnicodeNames::ranges);
  }

  private static int[] ranges(String key) {
    switch (key) {
      case "Any":
        return new int[] {0, MAX_RUNE};
      case "ASCII":
        return new int[] {0, 0x7F};
      default:
        break;
    }
    byte[] types = JAVA_TYPES.get(key);
    if (types == null && key.length() == 1) {
      return categoryGroup(key.charAt(0));
    }
    if (types != null) {
      return collect(cp -> contains(types, (byte) Character.getType(cp)));
    }
    Character.UnicodeScript script;
    try {
      script = Character.UnicodeScript.forName(key);
    } catch (IllegalArgumentException e) {
      return NEWER_SCRIPTS.getOrDefault(key, new int[0]);
    }
    return collect(cp -> Character.UnicodeScript.of(cp) == script);
  }

  /** A one-letter category: every two-letter category starting with that letter (C holds Cn). */
  private static int[] categoryGroup(char letter) {
    List<Byte> types = new ArrayList<>();
    JAVA_TYPES.forEach(
        (k, v) -> {
          if (k.length() == 2 && k.charAt(0) == letter && !k.equals("LC")) {
            for (byte t : v) {
              types.add(t);
            }
          }
        });
    byte[] array = new byte[types.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = types.get(i);
    }
    return collect(cp -> contains(array, (byte) Character.getType(cp)));
  }

  private static boolean contains(byte[] types, byte type) {
    for (byte t : types) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  private interface CodePointTest {
    boolean test(int cp);
  }

  private static int[] collect(CodePointTest test) {
    List<Integer> out = new ArrayList<>();
    int start = -1;
    for (int cp = 0; cp <= MAX_RUNE + 1; cp++) {
      boolean in = cp <= MAX_RUNE && test.test(cp);
      if (in && start < 0) {
        start = cp;
      } else if (!in && start >= 0) {
        out.add(start);
        out.add(cp - 1);
        start = -1;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
