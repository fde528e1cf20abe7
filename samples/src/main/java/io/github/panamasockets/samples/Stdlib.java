package io.github.panamasockets.samples;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command-line number parsing every C twin does with strtol(3). printf, fprintf, exit and the
 * rest of {@code <stdio.h>}, {@code <string.h>} and {@code <stdlib.h>} come from the facade's C
 * library companion ({@code io.github.panamasockets.api.Posix}), with C's format language.
 *
 * <p>Where a twin reads a /proc file with fopen and fgets, its port uses java.io's FileReader, not
 * java.nio.file: NIO's file channels load the JDK's libnet, which opens sockets of its own to probe
 * for IPv4 and IPv6, and those would stand among the sample's sockets in strace's view of the run.
 */
final class Stdlib {
    private Stdlib() {}

    // strtol(3)'s syntax: leading white space, an optional sign, digits, and nothing after them.
    private static final Pattern DECIMAL = Pattern.compile("[ \\t\\n\\u000b\\f\\r]*([+-]?)(\\d+)");

    /** A number from the command line in min..max, or -1 if the text is not one (the twins' parse_int). */
    static int parse_int(String s, int min, int max) {
        Matcher m = DECIMAL.matcher(s);
        if (!m.matches()) return -1;
        String digits = m.group(2).replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 18) return -1; // far outside any range asked for
        long value = Long.parseLong(digits) * (m.group(1).equals("-") ? -1 : 1);
        if (value < min || value > max) return -1;
        return (int) value;
    }

    /** A port number from the command line: 0..65535, or -1 if the text is not one (the twins' parse_port). */
    static int parse_port(String s) {
        return parse_int(s, 0, 65535);
    }
}
